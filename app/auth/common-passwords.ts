/**
 * Passwords that attackers try first, lower-cased: the head of the public
 * leaked-password frequency lists (international and Chinese sites), the
 * app's own demo password, and words people pick for this app. Bundled so
 * that the check needs no network. Shorter entries matter too: the policy
 * strips a trailing year or digits before looking a password up.
 */
const LIST = `
123456 123456789 12345678 1234567890 1234567 12345 password password1 password12 password123 passw0rd p@ssw0rd p@ssword
qwerty qwerty123 qwerty1234 qwertyuiop qwer1234 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y zaq12wsx
abc123 abc1234 abc12345 abc123456 abcd1234 a123456 a12345678 a123456789 aa123456 aa12345678 asd123 asd123456
asdf1234 asdfghjkl zxcvbnm zxcvbnm123 zxc123456 qazwsx qazwsxedc 147258369 159357 159753 123123 123123123 321321
111111 1111111111 000000 0000000000 666666 888888 88888888 8888888888 5201314 520520 5211314 1314520 woaini woaini1314
woaini520 iloveyou iloveyou1 iloveyou12 iloveu loveyou woaini123 wodemima mima123 mima123456 nihao123 nihao123456
admin admin123 admin1234 admin12345 admin888 administrator root root123 toor guest guest123 test test123 test1234
letmein welcome welcome1 welcome123 monkey dragon master shadow sunshine princess football baseball superman batman
trustno1 whatever starwars freedom hello hello123 hellokitty computer internet michael jennifer charlie
qq123456 qq12345678 taobao taobao123 baidu baidu123 weixin weixin123 wechat wechat123 alipay 163com 163.com
changeme changeme123 changeit default default123 secret secret123 server server123 system system123 manager
zhangwei wangwei wangfang liwei lina zhangmin lijing wangjing liuwei zhangli woshishui wangyang liyang
beijing beijing2008 shanghai shandong heze hezecity mudan mudanqu caozhou zhongguo china china123 chinese
huawei xiaomi lenovo computer123 diannao shouji mobile
cunshe cunshe123 cunshe-demo cunshe-demo-2026 cunshedemo cunshe2026 cunshezhangben zhangben zhangben123 cunshe-ledger
hezuoshe hezuoshe123 nongcun nongmin tudi liuzhuan fenhong kuaiji kuaiji123 shuji shuji123 cunwei cunweihui
xiangzhen zhengfu zhengfu123 dangyuan gongzuo gongzuo123 bangong bangong123 caiwu caiwu123 jizhang
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
