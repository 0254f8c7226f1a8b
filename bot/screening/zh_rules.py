"""Chinese rule tables (Simplified; Traditional is converted first) and their pinyin forms.

Chinese phrasings of the warning signs are written once, as cue phrase lists; the romanised
(toneless pinyin) forms of the same phrases are generated from them with pypinyin by
``scripts/build_pinyin_cues.py`` into ``pinyin_cues.json``, so a share written in pinyin meets
the same rules without a second hand-written table.
"""

from __future__ import annotations

from bot.screening.model import FW, MP, PI, SH, SI, Rule, rule

MENTION_ZH = (
    r"数据|模型|检测|识别|分类|论文|文献|研究|内容|样本|标注|预防|干预|过滤|帖子|新闻|电影|小说"
    r"|报道|相关|倾向|风险|热线|评测|拒答|拒绝回答|提示|输出|综述|小队|游戏|剧本|角色|语料|表达"
    r"|用户|案例|课程|讲座|误判|关键词"
)
# A Chinese sentence whose subject is a machine or job, with no 我 in it:
# "进程想死都死不了" is about a process. Lookahead and scan are both linear.
MACHINE_SUBJECT_ZH = (
    r"^(?![^\n]*我)[^\n]*(?:进程|任务|服务器|程序|代码|模型|训练|节点|机器|显卡|集群|脚本|服务)"
)

RULES_ZH: tuple[Rule, ...] = (
    rule(
        "zh.want_die",
        SI,
        r"想(?:要)?(?:去)?死(?![锁循机板角磕扛守心定亡刑记])(?!你|您|他|她|它|我了|人了|我们|咱|的心)"
        r"|(?<![你他她它])去死",
        "想死/想去死; not 想死你了 (miss you), 想死的心都有 (idiom), 死锁, 你去死 (abuse)",
        veto=MACHINE_SUBJECT_ZH,
    ),
    rule(
        "zh.not_want_live",
        SI,
        r"不(?:太)?想(?:再)?活(?:了|下去|着|下来)?(?!在(?!这个世界|世界|世上|人间))(?![成得])"
        r"|活不下去|不想再活",
        "不想活/活不下去; not 不想活在加班文化里 (live in), 活成 (become), 活得 (live so)",
        negatable=False,
    ),
    rule(
        "zh.end_life",
        SI,
        r"结束(?:掉)?(?:我)?(?:自己的?)?(?:生命|自己)|结束(?:这)?一切|了结(?:我)?(?:自己|生命|此生)"
        r"|自我了断|一了百了|一死了之|自尽|离开(?:这个|这)?(?:世界|人世|人间|世上)"
        r"|把(?:我)?自己(?:了结|结束|杀了|杀掉|解决掉)",
        "ending one's life / leaving this world",
    ),
    rule(
        "zh.how_to_die",
        SI,
        r"(?:怎么|如何|怎样)(?:去)?死(?![了的锁机循])",
        "how to die (not 怎么死了 'how did it die')",
    ),
    rule(
        "zh.better_dead",
        PI,
        r"(?<![累笑气忙饿热困烦吓痛疼逼搞磨冷急])死了?(?:就|才|便|也)?(?:会不会|是不是|能|会|可以)?"
        r"(?:解脱|轻松|更好|比较好|最好|算了|一了百了)"
        r"|(?<![累笑气忙饿热困烦吓痛疼逼搞磨冷急])死了?就好了?"
        r"|(?:消失|不在)了?(?:就|才|也)?(?:会不会|是不是|会)?(?:更好|比较好|最好)"
        r"|没(?:有)?我[^，。！？,.!?\n]{0,8}更好"
        r"|我(?:死了|不在了|消失了|走了以后)[^。！？.!?\n]{0,12}(?:轻松|更好|解脱|开心|好过|清净)",
        "death or absence as relief; 累死/笑死 idioms and machine subjects excluded",
        veto=MACHINE_SUBJECT_ZH,
    ),
    rule(
        "zh.nobody_miss",
        PI,
        r"(?:我死了|我不在了|我消失了?|我走了)[^。！？.!?\n]{0,8}(?:没人|不会有人|没有人)"
        r"|(?:不会有人|没有人|没人)(?:会)?(?:想念|怀念|记得|想)我",
        "nobody would miss the writer",
    ),
    rule(
        "zh.live_pointless",
        PI,
        r"(?<![干快生])活着(?:真的|好|太|很|真)?(?:没有?意思|没有?意义|好累|太累|真累|很累|好痛苦"
        r"|太痛苦|没有?希望|有什么意思|有什么意义|干什么|干嘛)"
        r"|不配活|不(?:应该|该)活(?:着|下去)|不值得活",
        "living described as pointless or undeserved",
    ),
    rule(
        "zh.not_wake",
        PI,
        r"(?:不想|不要|不用|不愿|别)(?:再)?醒(?:来|过来)|一睡不醒|(?:再也|永远)不(?:要|想|会)?醒",
        "not wanting to wake up",
        negatable=False,
    ),
    rule(
        "zh.disappear_forever",
        PI,
        r"永远(?:地)?消失|消失[^，。！？,.!?\n]{0,3}永远",
        "disappearing forever",
    ),
    rule(
        "zh.harm_self",
        SH,
        r"(?:割|划|割伤|划伤|伤害|烫|掐|烧|刺)(?:了)?自己",
        "hurting oneself",
    ),
    rule(
        "zh.pills",
        MP,
        r"(?:囤|攒|存|买好|准备好|备好|藏)[^，。！？,.!?\n]{0,6}(?:安眠药|药)"
        r"|(?:一次|全部|一起|全都)(?:吃完|吃掉|吞下|吃下|吞掉)|安眠药[^，。！？,.!?\n]{0,8}(?:一睡不醒|吃完|全吃)"
        r"|(?:想|要|打算|准备)(?:去)?吞(?:药|安眠药|药片)|吞(?:了)?(?:一瓶|一把|很多|好多)(?:药|安眠药)",
        "stockpiling pills or planning to take them all",
    ),
    rule(
        "zh.plan",
        MP,
        r"(?:计划|想好|决定|打算|选好)(?:好)?(?:了)?(?:怎么|如何|哪天|什么时候|在哪)(?:去)?死",
        "a plan for how or when to die",
    ),
    rule(
        "zh.rope",
        MP,
        r"(?:准备好|买好|买了|备好)(?:了)?绳子",
        "preparing a rope",
    ),
    rule(
        "zh.jump",
        MP,
        r"(?:楼|桥|天台|顶楼|阳台|窗|屋顶|悬崖)[^。！？.!?\n]{0,8}跳下",
        "jumping from a height (not a scene in a film or the news)",
        veto=rf"{MENTION_ZH}|镜头|视频|画面|剧情",
    ),
    rule(
        "zh.farewell_forever",
        FW,
        r"永别",
        "永别 = farewell forever",
    ),
)
