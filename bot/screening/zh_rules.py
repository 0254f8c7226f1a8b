"""Chinese rule tables (Simplified; Traditional is converted first) and their pinyin forms.

Chinese phrasings of the warning signs are written once, as cue phrase lists; the romanised
(toneless pinyin) forms of the same phrases are generated from them with pypinyin by
``scripts/build_pinyin_cues.py`` into ``pinyin_cues.json``, so a share written in pinyin meets
the same rules without a second hand-written table.
"""

from __future__ import annotations

from bot.screening.model import BU, FW, GA, MP, PI, SH, SI, CueRow, Rule, cues, rule

MENTION_ZH = (
    r"数据|模型|检测|识别|分类|论文|文献|研究|内容|样本|标注|预防|干预|过滤|帖子|新闻|电影|小说"
    r"|报道|相关|倾向|风险|热线|评测|拒答|拒绝回答|提示|输出|综述|小队|游戏|剧本|角色|语料|表达"
    r"|用户|案例|课程|讲座|误判|关键词|防治|宣导|宣传|贴文|审核"
)
# A Chinese sentence whose subject is a machine or job, with no 我 in it:
# "进程想死都死不了" is about a process. Lookahead and scan are both linear.
MACHINE_SUBJECT_ZH = (
    r"^(?![^\n]*我)[^\n]*(?:进程|任务|服务器|程序|代码|模型|训练|节点|机器|显卡|集群|脚本|服务)"
)

# "V到想死" (写到想死, 改到想死) is deadline hyperbole: the work is what is unbearable.
_NOT_HYPERBOLE = "".join(f"(?<!{v}到)" for v in "写改忙赶熬调做学累看")
_NOT_IDIOM_AFTER = r"(?![锁循机板角磕扛守心定亡刑记])(?!你|您|他|她|它|我了|人了|我们|咱|的心)"

RULES_ZH: tuple[Rule, ...] = (
    rule(
        "zh.want_die",
        SI,
        # Top-level alternatives with no common prefix, so the prefilter finds each literal.
        "|".join(f"{_NOT_HYPERBOLE}{w}{_NOT_IDIOM_AFTER}" for w in ("想死", "想要死", "想去死", "想要去死"))
        + r"|(?<![你他她它])去死",
        "想死/想去死; not 想死你了 (miss you), 想死的心都有 (idiom), 死锁, 你去死 (abuse)",
        veto=MACHINE_SUBJECT_ZH + "|这类|这种|之类|输入|回应|关键词",
    ),
    rule(
        "zh.not_want_live",
        SI,
        r"(?:不想活|不太想活|不想再活|不太想再活)(?:了|下去|着|下来)?(?!在(?!这个世界|世界|世上|人间))(?![成"
        r"得])"
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
        veto=MACHINE_SUBJECT_ZH + "|重新写|重写|重来|重做|推倒重来",
    ),
    rule(
        "zh.kill_myself",
        SI,
        r"(?:杀了|杀死|杀掉|弄死|干掉)我?自己(?!的)",
        "killing oneself (杀了我自己); not 杀掉自己的进程 (one's own process)",
        veto=MACHINE_SUBJECT_ZH + "|进程|任务|程序|job",
    ),
    rule(
        "zh.no_reason_to_live",
        PI,
        r"(?:找不到|没有|没了|失去了?)(?:任何|一点)?(?:继续)?(?:活下去|活着|生存)的(?:理由|意义|动力)"
        r"|(?:没有|找不到)(?:任何)?理由(?:再)?(?:继续)?活(?:下去|着)",
        "no reason left to live",
    ),
    rule(
        "zh.want_end",
        SI,
        r"想(?:要)?结束(?:了|掉)?(?=[，。！？,.!?\n]|$)",
        "wanting to end, with nothing named that ends (想结束这个项目 has an object)",
        veto=MACHINE_SUBJECT_ZH + "|会议|项目|实验|会|课|假期",
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
        r"|(?<![累笑气忙饿热困烦吓痛疼逼搞磨冷急])死(?:了|掉)?就好了?"
        r"|(?:消失|不在)了?(?:就|才|也)?(?:会不会|是不是|会)?(?:更好|比较好|最好)"
        r"|没(?:有)?我[^，。！？,.!?\n]{0,8}(?:更好|better)"
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
        r"(?<![干快生])活着(?:真的|好|太|很|真)?(?:没有?意思|没有?意义|没什么意思|没什么意义|好累|太累|真累"
        r"|很累|好痛苦"
        r"|太痛苦|没有?希望|有什么意思|有什么意义|干什么|干嘛)"
        r"|不配活|不应该活(?:着|下去)|不该活(?:着|下去)|不值得活",
        "living described as pointless or undeserved",
    ),
    rule(
        "zh.not_wake",
        PI,
        r"不想(?:再)?醒(?:来|过来)|不要(?:再)?醒(?:来|过来)|不用(?:再)?醒(?:来|过来)|不愿(?:再)?醒(?:来|过来)"
        r"|别再醒(?:来|过来)|别醒(?:来|过来)|一(?:睡|觉)不醒|(?:再也|永远)不(?:要|想|会)?醒",
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
        r"(?:囤|攒|存|买好|准备好|备好|藏)[^，。！？,.!?\n]{0,6}"
        r"(?:安眠药|药片|药物|药丸|止痛药|的药|了药|些药|点药|多药|囤药|攒药|存药|藏药|备药|好药)"
        r"|(?:一次|全部|一起|全都)(?:吃完|吃掉|吞下|吃下|吞掉)|安眠药[^，。！？,.!?\n]{0,8}(?:一睡不醒|"
        r"吃完|全吃)"
        r"|(?:想吞|要吞|打算吞|准备吞|想去吞|要去吞)(?:药|安眠药|药片)|吞(?:了)?(?:一瓶|一把|很多|好多)(?:药"
        r"|安眠药)",
        "stockpiling pills or planning to take them all",
        veto=r"马拉松|比赛|旅行|旅游|出差|徒步|露营|登山|感冒|膏药|备用|医药箱|急救包",
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
        veto=rf"{MENTION_ZH}|镜头|视频|画面|剧情|蹦极|跳伞|跳水|泳池|蹦床|潜水|bungee|skydiv|cliff div|base "
        rf"jump",
    ),
    rule(
        "zh.how_much_enough",
        MP,
        r"多少(?:片|颗|粒)?(?:安眠药|药)?才(?:够|会死|能死|不会醒)",
        "how many pills would be enough (AFSP: looking for a way)",
        veto=MENTION_ZH + "|剂量表|说明书|医生|处方|感冒|发烧|退烧",
    ),
    rule(
        "zh.not_the_ordinary_leaving",
        FW,
        r"(?:不是|也不是|并不是)(?:毕业|搬家|离职|换工作|出国|回国|旅游|旅行|度假|离开实验室)(?:那种|的那种)?"
        r"(?:走|离开|告别)?[^。！？.!?\n]{0,12}(?:走|离开|告别|不在|不需要|用不到|用不着|就是以后)",
        "going away 'and not the graduating kind' (an ordinary reading of leaving denied)",
        veto=MENTION_ZH,
    ),
    rule(
        "zh.farewell_forever",
        FW,
        r"永别",
        "永别 = farewell forever",
    ),
)


# ---------------------------------------------------------------------------
# Warning signs (issue 13) as cue rows: written from the public warning-sign lists
# (988 Lifeline / #BeThe1To, AFSP, Samaritans, IASP). Each group is a space-separated
# list of phrases; a row fires when every group has a phrase in the share.
# ---------------------------------------------------------------------------

# Two-syllable phrases distinctive enough to stand alone in pinyin.
PINYIN_DISTINCT = frozenset(
    ["自杀", "轻生", "遗书", "紫砂", "自鲨", "自残", "割腕", "想死", "长眠", "投胎", "永别", "刀片", "撞墙"]
)
GAP = "…"  # in a cue phrase: up to 8 characters (or 4 pinyin words) of anything in the sentence

# Ordinary reasons to leave or say goodbye: a job, graduating, a move, leave, a trip, grief.
LEAVING_ZH = (
    "离职 毕业 新公司 报到 入职 答辩通过 口试通过 回国 回台湾 博后 实习 合同 退休 产假 婚假 休假 休学 出差"
    " 下线了 明天见 回来见 常联系 保持联络 保持联系 江湖再见 有空回来 欢迎来 搬家 新校区 学期 假期 考察"
    " 最后一次参加 消失一周 闭关 登机 东京见 葬礼 告别式 送走了 兽医 暑期学校 最后一天 新年快乐 演"
    "习 工业界 读博 换工作 跳槽"
    " 新工作 宿舍有 生日刚买 纯计算 演唱会"
    " 解散 群要 归档 换时区 出国 考完 搬去 免费送 自取 先到先得 换了新 升级"
)
# Research, moderation and reading talk about the topic.
TOPIC_TALK_ZH = (
    "预防 防治 分类器 数据集 资料集 标注 研究 检测 侦测 模型 风险 讲座 审核 论文 文章 红队 测试 误判 帖"
    "子 贴文"
    " 委婉 语料 基线 评测 宣传 新闻 报道 指南 干预 热线 读书会"
)

WARNING_ROWS_ZH: tuple[CueRow, ...] = (
    # --- farewell and finality ---
    cues(
        "zh.farewell_final",
        FW,
        "谢谢大家 谢谢你们 谢谢遇到你们 谢谢各位 再见 保重 我爱你们 很爱你们 对不起 说声再见 道别 好好"
        "活着 好好过"
        " 别难过 不要难过 我走了 陪伴 照顾",
        "不管接下来发生什么 无论发生什么 不管发生什么 没机会说了 没有机会说 可能没机会 来不及说 最后一次 最"
        "后说 最后想说 最后一条 最后一句 以后不会再 不"
        "会再打扰 不会再出现 不在了 别找我 不要"
        "找我 别来找我"
        " 再也见不到 下辈子 来世 这辈子就这样 撑不下去 终于可以休息 永别 不会再见 以后的路 替我 很平静 "
        "走了以后"
        " 我走后 不是你们的错 不是任何人的错 不会回来 我要走了 不陪大家 陪我走到这里 就不陪 先走一步"
        " 陪到这里了 就陪到这里 以后就不打扰了 不再打扰",
        why="a goodbye together with finality",
        veto=LEAVING_ZH,
    ),
    cues(
        "zh.farewell_strong",
        FW,
        "没有我也要好好 没有我…也要好好 没有我…好好的 等我走了再给 等我走了以后 等我不在了 最后一次…说晚安 "
        "可能已经不在了"
        " 已经不在了 我不在了 别找我 不要找我 别来找我 再也见不到我 下辈子再 "
        "不会再打扰大家 不会再打扰你们 以后就不麻烦大家了"
        " 想说的话都写下来 最后听听 不是你们的错 不是任何人的错 重要的人…道别 给爸妈的信 给家人的信 给"
        "我妈的信"
        " 给父母的信 信已经写好 以后不会再出现 不会给大家添麻烦了 遗书 不会再来打扰 不再打扰大家 之后就不在了"
        " 以后就不在了",
        why="'I may already be gone', letters for family, do not look for me",
        veto=LEAVING_ZH + " " + TOPIC_TALK_ZH,
    ),
    # --- giving possessions away ---
    cues(
        "zh.give_away",
        GA,
        "送人 送给 送你们 送出去 送掉 分给 分好了 转给 留给 捐了 新主人 拿走 处理 整理好 随便分 你们分 拿去"
        "吧 都给你们"
        " 托付 交给",
        "用不到 用不着 用不上 不需要了 不会再回来 走的时候 我走后 走了以后 不在了 不用麻烦 放不下 没意"
        "义 等不到"
        " 过得比 替我留着 不会再用 也用不上 我走后 不用大家收拾 不用别人收拾 以后不用 不用我操心 不用我照顾"
        " 照顾不了 没法再照顾 不能再照顾 不需要这些 不需要了 我不在以后 我不在之后 要有人照顾 免得给别人添麻"
        "烦",
        why="giving things away because they will not be needed",
        veto=LEAVING_ZH,
    ),
    cues(
        "zh.affairs_in_order",
        GA,
        "钱都转给 账户…注销 注销了…账户 收拾我的烂摊子 不会有人需要收拾 东西都分好了 存款…给 存款都转给 存"
        "款转给 最后一件放不下 东西也处理"
        "得差不多 账号密码都整理好 东"
        "西他会处理",
        why="putting affairs in order",
        veto=LEAVING_ZH,
    ),
    # --- burden ---
    cues(
        "zh.burden",
        BU,
        "累赘 负担 拖累 拖油瓶 添麻烦 包袱 废物 错误 带来痛苦 操心 因为我吵 烦恼 压力的来源 麻烦的来源 痛苦"
        "的来源",
        "没有我 我不在 消失 解脱 离开 轻松 更好 很快 不会再 不想再 活着 存在 少了我 清净 我走了 不用再 "
        "没有损失",
        why="feeling a burden whose absence would relieve others",
    ),
    cues(
        "zh.better_without_me",
        BU,
        "没有我…更好 没有我…更开心 没有我…更轻松 没有我…会开心 没有我…过得更好 没有我…解脱 少了我…更好"
        " 少了我…更轻松 我不在了…更好 我不在了…更轻松 我不在了…解脱 我消失了…更好 我消失了…解脱",
        why="others better off without the writer (also gives the pinyin of the hanzi rule)",
        veto=LEAVING_ZH + " 组会 项目 " + TOPIC_TALK_ZH,
    ),
    cues(
        "zh.burden_strong",
        BU,
        "毁掉别人的生活 毁了别人的生活 我的存在就是 不会再是任何人的问题 不再是任何人的 不会再是…问题 只会"
        "拖累 只会给…添麻烦 只会带来麻烦 我是…的负担 自己是…负担 我是…的累赘 自己是…累赘 我是…burden 是"
        "个负担 是个累赘 只是个负担"
        " 不再是…负担 不是大家的负担 就不是…负担 不会再是…负担 我就是个累赘 我就是个负担 拖累…任何人 没"
        "有我…better",
        why="saying one will soon stop being a burden",
    ),
    # --- means ---
    cues(
        "zh.means_pills",
        MP,
        "安眠药 药 药片",
        "随身带着 带在身上 随身带 攒 囤 stockpil 存下 存够 吃多少 睡过去 数了 够了 分开买 剂量 一大"
        "把 全部吃"
        " 一次吃 没"
        "人会注意 买了很多 很多 一"
        "堆 好几瓶 一整瓶",
        why="gathering or measuring medication",
        veto="医生 开了 倒时差 拿药 医院 马拉松 比赛 旅行 出差 徒步 露营 膏药 感冒 医药箱 急救 "
        + TOPIC_TALK_ZH,
    ),
    cues(
        "zh.means_height",
        MP,
        "天台 楼顶 顶楼 最高 桥 河边 屋顶 阳台 哪栋楼",
        "多高 跳下 看了看 站在 护栏 门没锁 水最急 看一会 查好 哪里的楼 哪栋楼 每天晚上 每晚 又上 都上"
        " 高度…够 够高了 应该够了 没人管",
        why="checking heights, bridges or water",
        veto="风景 日落 封了 绕路 蹦极 跳伞 跳台 团建 流星 星星 看星 晒 乘凉 酒吧 夜景 bungee skydiv 烟花 "
        + TOPIC_TALK_ZH,
    ),
    cues(
        "zh.means_other",
        MP,
        "淹死…多久 查…淹死 多久才会死 多久会死 炭…胶带 木炭…胶带 炭…床底 没有护栏 没护栏 不痛苦地走 不痛苦"
        "的走 怎么样不痛苦 刀…磨好 枕头底下 "
        "割哪里 剂量…算好 拿到那种药 最不痛的方法 不痛的方法 无痛的方法 不痛苦的方法 死法 绳子…床底 绳子…枕头"
        " 买了绳子 买好了绳子",
        why="methods and means",
        veto="烧烤 烤肉 " + TOPIC_TALK_ZH,
    ),
    cues(
        "zh.means_search",
        MP,
        "网上查 网上搜 搜了 查了 搜索 百度 google",
        "才能不痛苦 怎么不痛苦 不痛苦地死 不会痛地 死得不痛",
        why="searching for a way that does not hurt",
        veto=TOPIC_TALK_ZH,
    ),
    cues(
        "zh.means_taken",
        MP,
        "试剂 化学品 氰化 叠氮 毒药 农药",
        "偷偷带 带回宿舍 带回家 查过剂量 查了剂量 致死量 致死剂量",
        why="poisons taken from the lab, or their dose looked up",
        veto="废液 回收 安全培训 培训 规范 " + TOPIC_TALK_ZH,
    ),
    # --- plan, timeline, calm, apologising in advance ---
    cues(
        "zh.plan",
        MP,
        "决定了 决定之后 决定以后 决定后 想清楚了 做了决定 定好了 选好了 准备好了 安排好了 想好了 计划",
        "结束 我就走 就走 去做 动手 平静 不要劝 快结束了 不用再担心 突然…轻松 突然很平静 突然…平静 不想"
        "再坚持 不再坚持 坚持不下去 什么都不怕了 时间…地点 地点…时间",
        why="a decision tied to ending things",
        veto="换导师 日期定了 减肥 邮件 论文投出去 " + LEAVING_ZH,
    ),
    cues(
        "zh.plan_weekend",
        MP,
        "计划好了 安排好了 准备好了 决定了 想好了",
        "就在这个周末 就这个周末 就在周末 就是今晚 就在今晚 就今晚",
        why="everything planned, and a day for it",
        veto="答辩 婚礼 出发 航班 会议 考试 开会 搬家 爬山 旅游 聚餐 吃饭 面试 " + LEAVING_ZH,
    ),
    cues(
        "zh.plan_soon",
        MP,
        "今晚 今天晚上 这个周末 周末 明天",
        "就结束 就结束了 就动手",
        why="tonight or this weekend, and ending things",
        veto="实习 项目 比赛 课程 假期 合同 学期 会议 活动 论文 稿 作业 报告 实验 代码 " + LEAVING_ZH,
    ),
    cues(
        "zh.the_day",
        MP,
        "就是那一天 就是那天 终于到了那一天",
        "准备好了 准备好 都准备好",
        why="the day has come, and the writer is ready",
        veto="答辩 考试 面试 婚礼 比赛 演出 发布 出发 航班 加油 " + LEAVING_ZH,
    ),
    cues(
        "zh.join_the_dead",
        SI,
        "快要去陪 要去陪 想去陪 去天上陪 很快就能见到 去陪",
        "妈妈 爸爸 奶奶 爷爷 外婆 外公 姥姥 姥爷 妈 爸",
        why="going to be with a parent or grandparent who has died",
        veto="周末 回家 过年 放假 吃饭 逛街 旅游 看病 医院 几天 住几天 假期 春节 明天 后天 下周 过生日 聊天 "
        "散步"
        " 看望 打牌 视频 电话 复诊 做手术",
    ),
    cues(
        "zh.plan_date",
        MP,
        "日子 时间 日期 地点 那天 date",
        "定好了 选好了 决定了 想好了 定了 想清楚了 计划好了",
        "周末 周日 下周 就等 这个月 生日 之后 weekend friday saturday sunday monday",
        why="a date chosen, with nothing ordinary planned for it",
        veto="答辩 婚礼 出发 航班 会议 考试 开会 搬家 爬山 旅游 聚餐 吃饭 面试 团建 聚会 组会 retreat journa"
        "l " + LEAVING_ZH,
    ),
    cues(
        "zh.plan_strong",
        MP,
        "提前…对不起 提前…道歉 先…说声对不起 就去做 我就动手 就真的去做 会让你们难过 然后就去做 快结束"
        "了 不用再担心我",
        why="doing it after an event, apologising in advance",
        veto="邮件 很长 唱歌 进度 成绩 " + LEAVING_ZH,
    ),
    # --- passive ideation ---
    cues(
        "zh.passive",
        PI,
        "不想再每天醒来 不想每天醒来 不想毁了家人 不想毁了…春节 不想毁了…生日 过完年再结束 别再醒 不要再醒 "
        "不再醒来 别醒了 差一点就跳了 差点就跳了 差点跳下去 差一点跳下去 活下去太难 活下去好"
        "难 活下去真难 世界没有我 世界少了我 不想再醒 被车撞…无所谓 被车撞…希望 从来没有"
        "出生 从来没出生 不想存在 安安静静地消失 谁也不要记得我 "
        "谁也"
        "别记得我"
        " 不想再继续 死了反而 看不到任何未来 明年还活着 绝症就好 闭上眼…最后一次 等它结束 掉下来…不会害怕"
        " 希望明天不会来 从这个世界上消失 从世界上消失 在这个世界上消失 就这样消失 不要醒来 不再醒 希望自己"
        "不存在 希望我不"
        "存在 不存在就好 在乎我是不是活着 在乎我的死活 "
        "在乎我活着"
        " 没人在乎我死 能直接消失 希望自己消失 希望自己能消失 不要再存在 不想再存在",
        why="passive wishes not to wake up or to stop existing",
    ),
    cues(
        "zh.sleep_forever",
        PI,
        "永远睡下去 一直睡下去 永远睡着 永远不醒",
        why="wanting to sleep forever",
        veto="赖床 周末 放假 假期 闹钟",
    ),
    cues(
        "zh.woke_disappointed",
        PI,
        "醒来都很失望 醒来很失望 醒来就失望 醒过来很失望 醒来都失望 又醒了",
        why="disappointed to wake up",
        veto="组会 上班 周一 又要 开会 考试 闹钟",
    ),
    cues(
        "zh.own_choice",
        FW,
        "不要为我难过 别为我难过 不要难过 别难过",
        "自己的选择 不是你们的错 不怪任何人 不怪你们",
        why="absolving others: it is my own choice",
    ),
    cues(
        "zh.said_everything",
        FW,
        "想说的都告诉 想说的话都说了 想说的都说了 该说的都说了 想说的都跟",
        why="everything that needed saying has been said",
        veto="答辩 汇报 会上 组会 邮件 审稿 " + LEAVING_ZH,
    ),
    cues(
        "zh.if_i_were_gone",
        PI,
        "如果我消失 要是我消失 如果我不在了 要是我不在了 如果我死了 要是我死了 我消失了 我不在了以后",
        "难过吗 在乎吗 发现吗 记得我吗 注意到吗 应该不会 没人会 没有人会 谁会",
        why="wondering whether anyone would notice or care if the writer were gone",
    ),
    cues(
        "zh.means_place",
        MP,
        "找好地方 选好地方 地方…选好 地方…找好 地方已经",
        why="a place chosen",
        veto="聚餐 吃饭 开会 旅游 租房 房子 实习 停车 露营 野餐 团建 见面 约 拍照 读书会 " + LEAVING_ZH,
    ),
    # --- self-harm ---
    cues(
        "zh.self_harm",
        SH,
        "划腿 划手 割腿 划大腿 藏在别人看不到 又划了 又割了 昨晚又划 割了 划了好几道 烫手臂 抠手腕 撞墙 弄"
        "疼自己 弄痛自己 疤…新的 故意…打在墙上"
        " 偷偷自残 想割 拿刀划 想划一下 疤又多了 割的冲动 饿了自己 刀片 伤口 手臂上的伤 长袖…伤"
        " 长袖…手臂 长袖…arms 不再割 抓破 把手臂抓"
        " 指甲…手臂 掐自己",
        why="hurting oneself",
        veto="不小心 蛋糕 切菜 做饭 " + TOPIC_TALK_ZH,
    ),
    cues(
        "zh.self_harm_cut",
        SH,
        "割了 划了 割得 划得 割的 划的",
        "有点深 很深 太深 流血 出血 止不住",
        why="cutting again, and how deep",
        veto="不小心 切菜 做饭 蛋糕 纸 手指 " + TOPIC_TALK_ZH,
    ),
    # --- slang and euphemisms ---
    cues(
        "zh.slang",
        SI,
        "紫砂 自鲨 人生重开 想重开 想去重开 去重开了 想自s 自s了 不想玩这个人生 原地去世…不是开玩笑 噶了…不"
        "是 寄了…字面 永久的那种",
        why="slang for suicide (紫砂, 人生重开)",
        veto=TOPIC_TALK_ZH + " classifier annotat dataset paper tagger",
    ),
    cues(
        "zh.euphemism",
        SI,
        "安心走 安心地走 放心地走 想解脱 好想解脱 只想解脱 另一个世界 离开人间 告别这个世界 告别人间 早点解"
        "脱 睡过去 撑不到…不是因为"
        " 待够了 回到来的地方 "
        "一走了之"
        " 去天上 不打算过…生日 伤害不了我的地方 没有人能伤害我的地方 没人能伤害我 最后一个冬天 长眠 不回来"
        "了 投胎 人间不值得…走 这个世界待"
        " 想去陪她 想去陪他 去陪她 去陪他 在人间…最后 在人间…last 没有痛苦的地方 永远不回来 去天堂 上天堂 "
        "去天国"
        " 再见了这个世界 再见这个世界 别了这个世界 不想在这个世界 不想待在这个世界 不想留在这个世界"
        " 撑不到明年 也不想撑了 不想再撑了 一觉不醒 活腻 世界…待不下去 没有痛苦的世界",
        why="euphemisms for dying and leaving the world",
        veto=TOPIC_TALK_ZH,
    ),
    # --- direct forms, here mainly for their pinyin ---
    cues(
        "zh.direct",
        SI,
        "想死 不想活 活不下去 自杀 轻生 结束…生命 了结 遗书 离开…世界 自残 割腕 跳楼 活着好累 活着没意思 活"
        "着没意义"
        " 我想消失 结束这一切 结束一切 不想再醒 撑不下去 不配活 一了百了 想解脱 一睡不醒 伤害自己 活下去太难"
        " 活着有什么意思 活着没什么意思 就是那一天 死掉就好了 死了就好了 活着没有意义 活着没有意思"
        " 割伤了自己 割伤自己 伤害了自己",
        why="direct crisis words (the hanzi rules above handle these; the row gives their pinyin)",
        veto="想死你 跳楼价 " + TOPIC_TALK_ZH,
        hanzi=False,
    ),
    # --- cue families for phrasings the rows above were not written for (round 3) -----------
    cues(
        "zh.sign_letter_left",
        FW,
        "给爸妈…信 给我爸妈…信 给家人…信 给我妈…信 给父母…信 写了一封信 信我放在 信放在 信我已经 留了…信"
        " 留了letter 写给家人的信 要寄给家人的信",
        "找不到我 联系不上我 交给他们 看了就会懂 对不起 不会再回来 帮我交给 帮我寄给 定时寄出 设定好时间",
        why="a letter left for family, to be found or sent (988/AFSP: a farewell letter)",
        veto="推荐信 求职信 申请 签证 感谢信 情书 邀请信 贺卡 明信片 " + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_last_words",
        FW,
        "最后一条 最后一次发言 最后一次在 最后一次说 最后一句话",
        "谢谢 对我好 不想多说 说声谢谢 对不起 再见",
        why="the last message, with thanks (988: saying goodbye as if for the last time)",
        veto="今天最后一条 今晚最后 下班 晚安 明天见 提醒 通知 公告 周报 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_not_needed",
        GA,
        "不会再需要 不需要了 用不上了 用不到了 不会需要这些 之后不会需要",
        "分送 送出去 拿走 谁要 捐给 给了 整理 安排好",
        why="giving things away because they will not be needed (988: giving away possessions)",
        veto="搬家 出国 回国 毕业 离职 换了新 升级 过敏 租约 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_rehome",
        GA,
        "猫 狗 仓鼠 hamster plants 植物 鱼 兔子",
        "新主人 没办法再照顾 没人照顾 不能再照顾 照顾不了 以后过得好 没人…照顾",
        why="finding a new home for a pet one 'can no longer look after' (988: giving away)",
        veto="搬家 出国 回国 出差 毕业 租房 房东 过敏 领养 收养 流浪 救助 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_beneficiary",
        GA,
        "受益人 寿险 保险…受益",
        "改成 转给 整理 安排好 不会需要 处理好",
        why="changing a life-insurance beneficiary while putting affairs in order",
        veto="买房 结婚 宝宝 怀孕 理财 保险公司 实习 " + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_heights",
        MP,
        "多高 多深 几楼 没有装门 窗户能开多大 天台 楼顶 桥上 桥离水面 大桥 月台",
        "查了 看了 去看 站了 一个人 没人经过 几点以后 没人 门锁 摄像头 走一走 多站",
        why="checking heights, bridges or platforms and when nobody is there (AFSP: looking for a way)",
        veto="拍照 摄影 看风景 装修 租房 实验 设备 施工 电梯 消防 演练 误点 晚点 误车 等车 等高铁 等地铁 "
        + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_means_bought",
        MP,
        "买了…绳 rope 木炭 烧炭 安眠药 攒了…药 药…攒",
        "not…for 不是用来 床底下 怎么做 会不会很痛 清…记录 需要多长时间 不想再一个人知道",
        why="buying or hoarding means, denying the ordinary use (988: gathering means)",
        veto=TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_arranged_calm",
        MP,
        "都安排好了 全部都安排好了 定好日子 日子定 时间也…定了 时间就订在 决定好了 已经决定了 终于定好",
        "不害怕 很平静 平静 说声抱歉 放松 最后一件 不会再回头 晚上",
        why="everything arranged, a day chosen, and calm after it (AFSP: a plan, a sudden calm)",
        veto="聚餐 婚礼 旅行 出游 会议 活动 面试 搬家 机票 酒店 行程 派对 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_then_go",
        MP,
        "我就走 就要走了 我就离开",
        "最后一件 最后一次 最后的事",
        why="going once one last thing is done",
        veto="下班 回家 出发 吃饭 开会 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_accident_welcome",
        PI,
        "车祸 被撞 出个事 出事",
        "把我带走 也不会觉得可惜 也ok 也好 也无所谓 不在乎 不care 就好了 什么都不用面对",
        why="welcoming an accident (Samaritans: passive wishes)",
        veto="新闻 听说 朋友 同学 他 她 保险 " + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_self_harm_relapse",
        SH,
        "破戒 又没忍住 没忍住…划 划了手臂 划手 烫自己 烫了自己 用烟蒂",
        "手臂 划 烫 疤 坚持 手上",
        why="a self-harm relapse (NHS/Samaritans)",
        veto="戒烟 戒酒 减肥 健身 奶茶 游戏 " + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_slang_serious",
        SI,
        "紫砂 人生重开 自ㄕ 重新开始键 重开",
        "不是在玩梗 不是开玩笑 认真的 具体办法 想很久 不是打电动 不是玩",
        why="slang for suicide said to be meant seriously",
        veto=TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_join_the_dead",
        SI,
        "去见马克思 去另一边找 去那边找 去找我外婆 去找我奶奶 去找我爷爷 去找我外公 去陪我 人生这班车"
        " 人生的列车",
        "不是开玩笑 收拾好 想好了 决定 不会再回头 等我 平静 下车",
        why="joining someone who has died, or getting off the train of life (euphemisms)",
        veto="扫墓 清明 祭拜 上坟 回老家 " + TOPIC_TALK_ZH,
        local=True,
    ),
    # --- round 4: burden as relief, farewells said to be real, Cantonese and net-slang signs ----
    cues(
        "zh.sign_burden_relief",
        BU,
        "不如不在了 冇咗我 没有我的话 没我的话 我消失的话 我消失 我不在了 不在了",
        "少操心 自由 解脱 解放 会好过 轻松 free 少个负担 不用再管我 都是好事 对谁都好 对大家都好",
        why="others would be freer or relieved without one (988: feeling a burden)",
        veto="旅行 出差 休假 请假 放假 回国 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_farewell_real",
        FW,
        "像告别一样 就是告别 真的再见 这次是真的 before…go 说声再见",
        "谢谢 感谢 不用回 别难过 再见",
        why="a goodbye said to be real this time",
        veto="毕业 离职 回国 搬家 出国 明天见 下周见 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_no_use_anymore",
        GA,
        "以后用不上了 以后都用不上 以后用不到了 以后不需要了",
        "谁要 免费送 送给 拿走 分了",
        why="giving things away 'because I will not need them later' (988: giving away possessions)",
        veto="搬家 出国 回国 毕业 离职 换了新 升级 买了新 新的 换新",
        local=True,
    ),
    cues(
        "zh.sign_affairs_in_order",
        GA,
        "把这些事都安排好 后事 交代好 都交代 该交代的",
        "之前 家人 爸妈 照片 转给 月底",
        why="putting affairs in order for family before a date (988: putting affairs in order)",
        veto="旅行 搬家 婚礼 出差 交接 离职 " + TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_decided_how",
        MP,
        "想好怎么做了 终于决定好了 已经决定好了 按计划走 按计划来 决定好了",
        "平静 踏实 不用再纠结 不会再拖 如果被拒 放松",
        why="a decided method or plan, with calm after it (AFSP: a plan, a sudden calm)",
        veto="申请 学校 offer 工作 实习 转学 旅行 行程 论文计划 实验计划 " + LEAVING_ZH,
        local=True,
    ),
    cues(
        "zh.sign_apology_after",
        MP,
        "对唔住 对不起 先讲对唔住 先说对不起 先说声抱歉",
        "之后发生 之后的事 同你哋冇关系 跟你们没关系 唔好怪自己 不要怪自己 别怪自己",
        why="apologising in advance for what will happen (AFSP: apologising, saying it is nobody's fault)",
        veto="迟到 延期 会议 开会 报告 deadline 请假",
        local=True,
    ),
    cues(
        "zh.sign_not_wake",
        PI,
        "不要再睁开眼睛 不要再睁开眼 唔使再醒 不用再醒来 不再存在 唔再存在 睡了就不用再醒 瞓咗之后就唔使再醒",
        why="wishing not to wake again or to stop existing (Samaritans: passive wishes)",
        veto=TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_hitting_self",
        SH,
        "打自己巴掌 砸自己的头 砸自己 打自己 遮…疤 疤…遮 用什么…遮",
        "肿 青 不想被看到 不想被问 手腕 scars 解释 疤",
        why="hitting oneself until it bruises, hiding marks (NHS/Samaritans: self-harm)",
        veto="开玩笑 哈哈 痘 痘痘 粉底 纹身 手术",
        local=True,
    ),
    cues(
        "zh.sign_log_off_life",
        SI,
        "提前下线 人生登出 登出人生 永久下线的那种 不打算复活 不打算再登入 自ㄕㄚ 不打算再重开 想提前下线",
        "这辈子 人生 不打算复活 不打算再 帐号送人 查要怎么做 这把 废了",
        why="gaming slang for ending one's life ('提前下线', '人生登出', 'not respawning')",
        veto=TOPIC_TALK_ZH,
        local=True,
    ),
    cues(
        "zh.sign_far_away",
        SI,
        "去一个很远的地方 不回来的那种 不在这个世界上 没有deadline的地方 去搵阿嫲 去找阿嫲 喺嗰边等 在那边等"
        " 唔喺度了 单程票 不回来那种",
        "不用再麻烦 不回来 挺好的 等紧我 等我 保重 rest 不用看了 单程 唔喺度",
        why="euphemisms for dying: a far place with no return, a grandmother waiting over there",
        veto="旅行 出国 留学 机票 签证 毕业 回国 出差 " + TOPIC_TALK_ZH,
        local=True,
    ),
)
