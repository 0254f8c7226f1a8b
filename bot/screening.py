"""Crisis-language screening for anonymous shares: deterministic rules, no ML.

A share is *flagged* when it contains first-person crisis language: a wish or
intent to die, self-harm, means or a plan, a goodbye, or severe hopelessness
about living. Flagged shares are held for moderator review and the author is
shown crisis lines. This is a screening aid, not a diagnosis.

Design
------
1. ``normalise`` folds away obfuscation (Unicode tricks, markdown, leetspeak,
   letter spacing, repeated letters, contractions, Traditional Chinese).
2. Rules are small readable tables. Each rule has an id, the categories it
   implies, a regex, and a one-line reason. English rules look for a
   first-person object or subject ("kill myself", not "kill the process") and
   for desire/intent verbs ("want to die", not "the run died").
3. Bare topic words ("suicide", "self-harm", "自杀") only count when the sentence
   is about the writer (first-person or ideation cue, or the whole share is a
   few words) and does not read like research, moderation, media or a question
   about someone else: people who build safety classifiers write these words
   all day. Quoted phrases in research talk and 《titles》 are blanked first.
   Deliberately spaced or dotted words ("i w a n t t o d i e", "sui.cide") are
   checked against a few compact keys.
4. Common negations ("I don't want to die", "I'm not suicidal", "我不想死")
   cancel a match. Negated forms that *are* crisis language ("I don't want to
   live") are rules of their own.

Every regex is linear: no nested unbounded quantifiers, only bounded windows
such as "any 0-40 characters within the sentence". ``Screening.categories`` holds
fixed labels only, never text from the share, so it is safe to log.

Known decisions: "kys" / "kill yourself" is abuse aimed at someone else, not
the author's own crisis, so it is not flagged here (showing crisis lines to an
abuser is the wrong response; that belongs to a separate abuse filter). Pinyin
abbreviations ("zs", "qs") are not handled: far too many false positives.
Joking hyperbole with crisis words ("不想活了，loss 又炸了哈哈", "lol kms") is
still flagged on purpose: people often mask a real crisis with "lol".
``explain`` returns the ids of the rules that fired, for moderators and tests.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SUICIDAL_IDEATION = "suicidal_ideation"
PASSIVE_IDEATION = "passive_ideation"
SELF_HARM = "self_harm"
MEANS_OR_PLAN = "means_or_plan"
FAREWELL = "farewell"

CATEGORIES: tuple[str, ...] = (
    SUICIDAL_IDEATION,
    PASSIVE_IDEATION,
    SELF_HARM,
    MEANS_OR_PLAN,
    FAREWELL,
)


@dataclass(frozen=True)
class Screening:
    """Result of screening one share; ``categories`` never contains share text."""

    flagged: bool
    categories: tuple[str, ...]


# ---------------------------------------------------------------------------
# Normalisation tables
# ---------------------------------------------------------------------------

# Cyrillic / Greek / other lookalikes that are used to dodge keyword filters.
# Applied after casefolding, so only lowercase forms are needed.
_HOMOGLYPHS: dict[int, str] = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i",
        "ї": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "ӏ": "l", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        "γ": "y", "ı": "i", "ł": "l", "ɡ": "g", "ɑ": "a", "ʟ": "l", "ɪ": "i",
        "\u2018": "'", "\u2019": "'", "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "「": '"', "」": '"', "『": '"', "』": '"',
    }
)  # fmt: skip

# Traditional -> Simplified for about 800 common characters (one-to-one pairs,
# no chains). Rules are written in Simplified only; stdlib has no converter.
_TRAD = (
    "愛罷備貝筆畢邊變標別賓補財參倉產長嘗場車徹塵陳稱誠遲齒衝蟲醜處觸傳創辭從錯達帶單"
    "擔當黨導燈敵點電調頂東動鬥讀獨斷對隊頓奪兒爾發罰範飛費紛豐風婦復負該蓋趕幹剛鋼個"
    "給構購夠顧關觀館慣廣規歸貴國過漢號後護華話畫劃懷壞歡環還換黃會彙夥貨獲機積極幾擠"
    "計記際繼價駕堅間簡見漸將講獎膠腳較階節潔結緊僅盡進經驚鏡舊舉據劇覺絕軍開課塊虧擴"
    "來藍蘭爛勞樂類淚離裡裏禮歷麗連聯戀練糧兩輛療臨靈齡領龍樓錄陸亂輪論羅邏馬買賣滿貓"
    "門們夢綿麵滅鳴謀難腦鬧內鳥寧農濃盤賠騙頻評憑齊騎氣棄錢淺槍強牆橋親輕傾慶窮區驅趨"
    "權勸確讓熱認榮軟灑賽喪掃殺傷燒紹設聲勝繩師濕時實識勢視試適釋壽獸書輸術樹數帥雙誰"
    "稅順說絲雖隨歲孫損態談嘆湯燙討題體條鐵聽廳統頭圖團脫網萬為違圍衛穩問無務誤霧習戲"
    "係嚇鮮閒顯險現線鄉詳響項銷寫謝興選學尋壓亞嚴顏驗陽養樣藥爺葉業頁醫億憶藝議義陰隱"
    "應營擁優郵憂遊於餘與語預遠園員願約閱躍雲運雜災載讚髒責擇則贈戰張漲帳這針診陣爭證"
    "織職執紙製質鐘種眾週豬囑築註專轉莊裝壯狀準資綜總縱組鑽撐拋掛攜擾擺搶糾紀紅純級細"
    "終絡綁維緒編緣縣縮繪續纏誌誕請諒謂譯貧販貪貫貸貼貿賀賞賢賴贏跡踐蹤軌輔輝輩辦迴遙"
    "遷遺鈔鉛銀銅銳鋪鍋鍵鎖鎮鑰閃閉闊雞靜須頑額飄飯飲飽飾餅餓饑駛駐髮鬆魚鴨鵝鹽麥龜殘"
    "殼毀決沒況涼淨減測湧滯滾漁潛濟濤濫瀏灣烏煙煩爐牽犧狹獄疊癢癮盜監睏睜瞞礎禍穀窩竊"
    "競簽籃籌紋納綠綱緩縫績繞聖聞聰肅脅脈腫膚膽臉臟艱蘇蠻複襲覽訂訓託訪許訴詞詩誇誘諾"
    "謎譜豎隻麼嗎妳傑僱儲兇劑勵勁勳匯厭厲啟喚噸嚮嚨堯報墜壇奮妝孃寶寢屬屆岡島嶺幣廢廟"
    "廠彈彎徑恥惡惱惲慘慚憐懇懲懶懼戶挾捨掙揚搖攤敗敘斂暈暫曆曬朧樸檢櫃欄殯毆氫氾汙洶"
    "淒溝漿澤濾瀉瀕灘猶獵瑣璽甦畝瘋瘡瘧癒皺盞睞矚礙禱稈穌筧箋篩簾粵糰紮絨綢緻縛繃繡繚"
    "罈羨翹聳脹膩臘艦莖蔣蔥蕭薦藉蘆虜蝦螞蠟襪覓詐詢誼諮謙謠譴豈賊賤趙躉軸轎辯遞邁醞釀"
    "鈍鉤銜鋁錦鍛鏈鑄閣闖陝隸雛韓頸頹顆顫颱餵騷驕鬍鯨鷹黴臺衆綫啓眞爲僞錶韌鬱獻輯媽斃"
    "攢"
)
_SIMP = (
    "爱罢备贝笔毕边变标别宾补财参仓产长尝场车彻尘陈称诚迟齿冲虫丑处触传创辞从错达带单"
    "担当党导灯敌点电调顶东动斗读独断对队顿夺儿尔发罚范飞费纷丰风妇复负该盖赶干刚钢个"
    "给构购够顾关观馆惯广规归贵国过汉号后护华话画划怀坏欢环还换黄会汇伙货获机积极几挤"
    "计记际继价驾坚间简见渐将讲奖胶脚较阶节洁结紧仅尽进经惊镜旧举据剧觉绝军开课块亏扩"
    "来蓝兰烂劳乐类泪离里里礼历丽连联恋练粮两辆疗临灵龄领龙楼录陆乱轮论罗逻马买卖满猫"
    "门们梦绵面灭鸣谋难脑闹内鸟宁农浓盘赔骗频评凭齐骑气弃钱浅枪强墙桥亲轻倾庆穷区驱趋"
    "权劝确让热认荣软洒赛丧扫杀伤烧绍设声胜绳师湿时实识势视试适释寿兽书输术树数帅双谁"
    "税顺说丝虽随岁孙损态谈叹汤烫讨题体条铁听厅统头图团脱网万为违围卫稳问无务误雾习戏"
    "系吓鲜闲显险现线乡详响项销写谢兴选学寻压亚严颜验阳养样药爷叶业页医亿忆艺议义阴隐"
    "应营拥优邮忧游于余与语预远园员愿约阅跃云运杂灾载赞脏责择则赠战张涨帐这针诊阵争证"
    "织职执纸制质钟种众周猪嘱筑注专转庄装壮状准资综总纵组钻撑抛挂携扰摆抢纠纪红纯级细"
    "终络绑维绪编缘县缩绘续缠志诞请谅谓译贫贩贪贯贷贴贸贺赏贤赖赢迹践踪轨辅辉辈办回遥"
    "迁遗钞铅银铜锐铺锅键锁镇钥闪闭阔鸡静须顽额飘饭饮饱饰饼饿饥驶驻发松鱼鸭鹅盐麦龟残"
    "壳毁决没况凉净减测涌滞滚渔潜济涛滥浏湾乌烟烦炉牵牺狭狱叠痒瘾盗监困睁瞒础祸谷窝窃"
    "竞签篮筹纹纳绿纲缓缝绩绕圣闻聪肃胁脉肿肤胆脸脏艰苏蛮复袭览订训托访许诉词诗夸诱诺"
    "谜谱竖只么吗你杰雇储凶剂励劲勋汇厌厉启唤吨向咙尧报坠坛奋妆娘宝寝属届冈岛岭币废庙"
    "厂弹弯径耻恶恼恽惨惭怜恳惩懒惧户挟舍挣扬摇摊败叙敛晕暂历晒胧朴检柜栏殡殴氢泛污汹"
    "凄沟浆泽滤泻濒滩犹猎琐玺苏亩疯疮疟愈皱盏睐瞩碍祷秆稣笕笺筛帘粤团扎绒绸致缚绷绣缭"
    "坛羡翘耸胀腻腊舰茎蒋葱萧荐借芦虏虾蚂蜡袜觅诈询谊咨谦谣谴岂贼贱赵趸轴轿辩递迈酝酿"
    "钝钩衔铝锦锻链铸阁闯陕隶雏韩颈颓颗颤台喂骚骄胡鲸鹰霉台众线启真为伪表韧郁献辑妈毙"
    "攒"
)
_TRAD_TO_SIMP: dict[int, int] = str.maketrans(_TRAD, _SIMP)

# Leetspeak substitutions, applied only inside tokens that contain a letter,
# so "kill -9", "4/255" and "5 kms" are untouched.
_LEET_DIGITS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}
# Symbols only count as letters when they sit between letters ("d!e", "my$elf")
# or lead a word ("$uicide"); a trailing "!" is punctuation.
_LEET_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "l"}

# Contractions and slang expanded so rules can be written once.
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bcan'?t\b", "cannot"),
        (r"\bwon'?t\b", "will not"),
        (r"\bain'?t\b", "is not"),
        (r"\b([a-z]+)n't\b", r"\1 not"),
        (r"\b(do|does|did|is|are|was|were|would|should|could|has|have|had)nt\b", r"\1 not"),
        (r"\bi'?m\b", "i am"),
        (r"\bi'?ve\b", "i have"),
        (r"\bi'll\b", "i will"),
        (r"\bi'd\b", "i would"),
        (r"\b(it|that|you|we|they|he|she|there|who)'d\b", r"\1 would"),
        (r"\b(it|that|you|we|they|he|she|there|who)'ll\b", r"\1 will"),
        (r"\bwanna\b", "want to"),
        (r"\bgonna\b", "going to"),
        (r"\bgotta\b", "got to"),
        (r"\bu\b", "you"),
        (r"(?<=[a-z] )2(?= [a-z])", "to"),  # "want 2 die"
    )
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPOILER_OR_EMPHASIS = re.compile(r"\|\||[*_~`]")
_QUOTE_PREFIX = re.compile(r"(?m)^[ \t]*(?:>{1,3}|#{1,3}|-#)[ \t]?")
_TOKEN = re.compile(r"[a-z0-9@$!|]+")
# "10th", "4k", "7b", "16gb": numbers with a short unit are not leetspeak.
_NUMBER_WITH_UNIT = re.compile(r"[0-9]+[a-z]{1,3}")
_REPEATS = re.compile(r"([a-z])\1{2,}")
# A run of >= 3 single letters separated by exactly one separator:
# "k i l l", "s.u.i.c.i.d.e", "k-m-s". Two spaces end a run ("k i l l  m e").
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-·•][a-z]){2,}(?![a-z0-9])")
_SPACED_SEP = re.compile(r"[ .\-·•]")
_INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")  # "un-alive", "sui-cide"
# Dotted words ("sui.cide"). Not joined in the text, because code such as
# "self.harm_score" or "os.kill" is common in a lab; see _DOTTED_KEYS instead.
_DOTTED_WORD = re.compile(r"(?<![a-z0-9.])[a-z]+(?:\.[a-z]+)+(?![a-z0-9])")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t.·•\-/\\]+(?=[{_CJK}])")  # "想 死", "自.杀"
_HSPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r" ?\n[\s]*")


def _strip_marks(text: str) -> str:
    """Drop combining marks, format and bidi characters (zero-width, soft hyphen, zalgo)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    return unicodedata.normalize("NFC", "".join(kept))


def _deleet_token(token: str, one: str) -> str:
    """Map leetspeak inside one token; ``one`` is what the digit 1 stands for."""
    if not any("a" <= c <= "z" for c in token) or _NUMBER_WITH_UNIT.fullmatch(token):
        return token
    out: list[str] = []
    last = len(token) - 1
    for i, c in enumerate(token):
        if c == "1":
            out.append(one)
        elif c in _LEET_DIGITS:
            out.append(_LEET_DIGITS[c])
        elif c in _LEET_SYMBOLS:
            nxt_letter = i < last and token[i + 1].isalnum()
            prev_letter = i > 0 and token[i - 1].isalnum()
            leading = i == 0 and c in "$@"
            out.append(_LEET_SYMBOLS[c] if nxt_letter and (prev_letter or leading) else c)
        else:
            out.append(c)
    return "".join(out)


def _normalise(text: str, one: str = "i") -> tuple[str, tuple[str, ...]]:
    """Return normalised text and words rebuilt from spaced or ("+"-prefixed) dotted letters."""
    s = unicodedata.normalize("NFKC", text)
    s = _strip_marks(s).casefold()
    s = s.translate(_HOMOGLYPHS).translate(_TRAD_TO_SIMP)
    s = _QUOTE_PREFIX.sub("", s)
    s = _SPOILER_OR_EMPHASIS.sub("", s)
    s = _TOKEN.sub(lambda m: _deleet_token(m.group(), one), s)
    s = _REPEATS.sub(r"\1", s)
    spaced: list[str] = []

    def _join(m: re.Match[str]) -> str:
        word = _SPACED_SEP.sub("", m.group())
        spaced.append(word)
        return word

    s = _SPACED_LETTERS.sub(_join, s)
    s = _INNER_HYPHEN.sub("", s)
    spaced.extend("+" + m.group().replace(".", "") for m in _DOTTED_WORD.finditer(s))
    for pattern, repl in _CONTRACTIONS:
        s = pattern.sub(repl, s)
    s = _CJK_GAP.sub("", s)
    s = _HSPACE.sub(" ", s)
    s = _NEWLINES.sub("\n", s)
    return s.strip(), tuple(spaced)


def normalise(text: str) -> str:
    """Fold obfuscation so the rules see plain lowercase text."""
    return _normalise(text)[0]


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One screening rule: id, implied categories, regex and why it exists."""

    rule_id: str
    categories: tuple[str, ...]
    pattern: re.Pattern[str]
    why: str
    negatable: bool = True
    veto: re.Pattern[str] | None = None  # ignored if this matches the sentence


def _rule(
    rule_id: str,
    categories: tuple[str, ...],
    pattern: str,
    why: str,
    *,
    negatable: bool = True,
    veto: str | None = None,
) -> _Rule:
    """Compile one rule-table row."""
    return _Rule(
        rule_id,
        categories,
        re.compile(pattern),
        why,
        negatable,
        re.compile(veto) if veto else None,
    )


_SI = (SUICIDAL_IDEATION,)
_PI = (PASSIVE_IDEATION,)
_SH = (SELF_HARM,)
_MP = (MEANS_OR_PLAN,)
_FW = (FAREWELL,)

# Shared fragments.
_MYSELF = r"my ?self\b"
_CLAUSE_END = r"(?= ?(?:any ?more|any longer|like this)|$| ?[,.!?;:\n])"
# As above, also allowing a following "and ..." / "i ..." / "honestly" clause.
_CLAUSE_END_LOOSE = (
    r"(?= ?(?:any ?more|any longer|like this|and\b|but\b|so\b|i\b|honestly|right now)"
    r"|$| ?[,.!?;:\n])"
)
_IF_I_GONE = (
    r"if i (?:just |simply )?(?:(?:was|were|am) (?:dead|gone|not (?:here|around|alive))"
    r"|died|disappeared|did not exist|never existed|was never born|killed myself)\b"
)
# Contexts in which "hurt/cut/burn myself" is an accident or an idiom.
_ACCIDENT = (
    r"\b(?:gym|accident\w*|playing|lifting|running|skiing|climbing|cycling|cooking"
    r"|shaving|slipped|tripped|fell|falling|football|soccer|basketball|kitchen)\b"
)

# Mention / research / media vocabulary: a sentence containing these is taken to
# be *about* the topic (classifier work, reading, films, moderation), not a
# disclosure. Only applied to bare topic words and to quoted phrases.
_MENTION_EN = (
    r"\b(?:classifiers?|classification|models?|datasets?|data|detect\w*|prevention|papers?"
    r"|research\w*|study|studies|content|posts?|prompts?|label\w*|annotat\w*|eval\w*"
    r"|benchmark\w*|filter\w*|moderat\w*|hotlines?|lifeline|awareness|squad|risk|rates?"
    r"|statistics|polic(?:y|ies)|categor(?:y|ies)|instructions|articles?|news|refus\w*"
    r"|red ?team\w*|jailbreak\w*|corpus|tweets?|reddit|subreddit|forums?|survey|interventions?"
    r"|clinical|clinicians?|patients?|literature|reading group|workshop|lecture|course"
    r"|guidelines?|reporting|books?|film|movie|documentary|song|lyrics|character|game"
    r"|mission|outputs?|responses?|quer(?:y|ies)|examples?|samples?|f1|precision|recall"
    r"|accuracy|raters?|phrases?|keywords?|flags?|flagged|over-?flags?|tiktok|slang"
    r"|algorithms?|triage)\b"
)
_MENTION_ZH = (
    r"数据|模型|检测|识别|分类|论文|文献|研究|内容|样本|标注|预防|干预|过滤|帖子|新闻|电影|小说"
    r"|报道|相关|倾向|风险|热线|评测|拒答|拒绝回答|提示|输出|综述|小队|游戏|剧本|角色|语料|表达"
    r"|用户|案例|课程|讲座|误判|关键词"
)
_MENTION = re.compile(rf"{_MENTION_EN}|{_MENTION_ZH}")
# A Chinese sentence whose subject is a machine or job, with no 我 in it:
# "进程想死都死不了" is about a process. Lookahead and scan are both linear.
_MACHINE_SUBJECT_ZH = (
    r"^(?![^\n]*我)[^\n]*(?:进程|任务|服务器|程序|代码|模型|训练|节点|机器|显卡|集群|脚本|服务)"
)
# Questions about someone else ("how do I support a friend who is suicidal").
# Only the topic-word tier uses this, and only when the other person is the one
# described: "my partner is gone and I keep thinking about suicide" is not vetoed.
_THIRD_PARTY = re.compile(
    r"\b(?:friends?|colleagues?|labmates?|students?|someone|somebody|people|person|loved ones?"
    r"|members?|users?|employees|staff|peers|others|anyone|anybody|researchers|annotators"
    r"|sons?|daughters?|relatives?|roommates?|partner|sister|brother|he|she|they)(?:'s)?"
    r" (?:who (?:is|are|was|were|has|have|had|feels?|keeps?)"
    r"|(?:is|are|was|were|has been|have been|had been|keeps?|seems?) (?:suicidal|self ?harm\w*"
    r"|thinking|having|struggling|experiencing|at risk|cutting|talking about)"
    r"|(?:thinking|having|struggling|experiencing|at risk|in crisis))\b"
    r"|\b(?:support|supporting|help|helping) (?:a|my|your|our|someone|people|them|him|her)"
    r"(?! (?:to|get|find))\b"
    r"|的朋友|的同学|的同事|别人|他人|的室友"
)

# Tier 1: phrases that are crisis language on their own (subject to negation
# and the per-rule veto). Grouped by category for readability.
_RULES: tuple[_Rule, ...] = (
    # --- suicidal ideation (explicit wish / intent to die or kill oneself) ---
    _rule(
        "en.kill_myself",
        _SI,
        rf"\b(?:kil+|kil+s|kil+ed|kil+ing|off|offing|unalive|un alive) ?{_MYSELF}"
        r"(?! (?:trying|working|to (?:get|finish|meet|make|hit|keep|ship)|for (?:this|that|the)))",
        "killing oneself with a first-person object; progressive 'killing myself trying to"
        " finish X' is a stress idiom",
    ),
    _rule(
        "en.method_myself",
        (*_SI, *_MP),
        rf"\b(?:hang|hanged|hanging|hung|drown|drowning|shoot|shooting|shot|poison|poisoning"
        rf"|electrocute|suffocate|strangle) ?{_MYSELF}(?! in the (?:foot|leg|arm))",
        "a method with a first-person object; 'shot myself in the foot' is an idiom",
    ),
    _rule(
        "en.kms",
        _SI,
        r"(?<![0-9.,])(?<![0-9] )\bkms\b",
        "'kms' = kill myself; not after a number (5 kms = kilometres)",
    ),
    _rule(
        "en.want_to_die",
        _SI,
        r"\b(?:want|wants|wanted|wanting|wish|wishing|ready|deserve|deserves|plan|planning"
        r"|trying|try|need|needs|like|decided|choose|long|longing) to (?:just |really |simply )?"
        r"(?:die|be dead|stop (?:existing|living|being alive)|not (?:exist|be alive)"
        r"|cease to exist)\b(?! on (?:this|that|the) hill| a little| inside)",
        "desire or intent verb + die; 'die on this hill', 'die a little' are idioms",
    ),
    _rule(
        "en.want_it_over",
        _SI,
        r"\bwant (?:it all|everything|all of it|all this|my life) to (?:be over|end|stop)\b",
        "wanting everything to be over (not 'want this semester to end')",
    ),
    _rule(
        "en.should_die",
        _SI,
        r"\bi (?:should|might as well|may as well|ought to) (?:just |simply )?(?:die|be dead)\b",
        "first-person 'I should just die'",
    ),
    _rule(
        "en.end_my_life",
        _SI,
        r"\b(?:end|ends|ended|ending) (?:my|my own) life\b"
        r"|\b(?:take|takes|taking|took|taken) my own life\b"
        r"|\b(?:take|takes|taking|took|taken) my life\b(?! (?:back|less|more|seriously|into|in|for"
        r"|to|as|one|out|off|away|apart|by|with))"
        r"|\bend(?:ing)? (?:it all|my existence|my own existence)\b",
        "ending/taking one's own life",
    ),
    _rule(
        "en.end_it",
        _SI,
        r"\b(?:feel like|thinking (?:about|of)|going to|want to|ready to|plan(?:ning)? to"
        r"|decided to|about to|will|should|could|might|just) (?:just )?end(?:ing)? (?:it|things)\b"
        r"(?! (?:with|early|here|there|at|on|after|before|for|now|and|the|so|by|off|up))",
        "'going to end it' with no object that makes it about a task or relationship",
    ),
    _rule(
        "en.suicidal_self",
        _SI,
        r"\b(?:i am|i feel|i have been|i was|i get|i got|feeling|been feeling|been|getting"
        r"|felt) (?:so |very |really |kind of |a bit |pretty |quite |extremely |actively"
        r" |passively |more |increasingly |)?suicidal\b",
        "the writer describes themself as suicidal",
    ),
    _rule(
        "en.think_about_dying",
        _SI,
        r"\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]e|fantasi[sz]ing"
        r"|obsess(?:ed|ing)?) (?:about|of) (?:dying|my death|being dead|not being alive"
        r"|not existing|ending (?:it|my life|things|everything)|killing myself"
        r"|taking my (?:own )?life|death)\b",
        "dwelling on one's own death",
    ),
    _rule(
        "en.all_i_think",
        _SI,
        r"\ball i (?:can |ever )?(?:think about|want)(?: is| anymore is)"
        r" (?:dying|death|to die|killing myself|ending it)\b",
        "'all I think about is dying'",
    ),
    _rule(
        "en.not_be_alive",
        _SI,
        r"\b(?:will not|not going to|won't) be alive\b",
        "stating one will not be alive",
    ),
    # --- passive ideation (indirect wish to be dead, no reason to live) ---
    _rule(
        "en.wish_dead",
        _PI,
        r"\bwish (?:that )?i (?:was|were|could be) dead\b"
        r"|\bwish (?:that )?i (?:had |would )?never (?:been born|existed|woke up)\b"
        r"|\bwish (?:that )?i (?:did not|did not ever) exist\b"
        r"|\bwish (?:that )?i could (?:just )?(?:die|not exist|stop existing|disappear forever"
        r"|go to sleep and (?:never|not) wake up|sleep forever)\b",
        "wishing to be dead or never to have existed",
    ),
    _rule(
        "en.better_off",
        _PI,
        rf"\bbetter off (?:without me|dead|with me (?:gone|dead)|{_IF_I_GONE})"
        rf"|\b(?:easier|better|simpler|happier) (?:for (?:\w+ ){{1,2}})?{_IF_I_GONE}"
        r"|\b(?:everyone|everybody|they|my family|the world|people|you all|the lab|my parents)"
        r" (?:would|will) be (?:so much |much |a lot )?(?:happier|better|better off|easier)"
        r" without me\b",
        "perceived burdensomeness: others better off without the writer",
    ),
    _rule(
        "en.nobody_miss",
        _PI,
        r"\b(?:nobody|no one|no-one|noone|none of you) (?:would|will|is going to|could|would ever)"
        r" (?:even |really |actually |ever |probably )?(?:miss|notice|care|mourn|remember)"
        rf"(?: about)? (?:me\b|{_IF_I_GONE}|when i am (?:gone|dead)\b)",
        "nobody would miss / notice / care if the writer were gone",
    ),
    _rule(
        "en.not_wake_up",
        _PI,
        r"\b(?:do not|never) want to wake up\b(?! (?:early|at|for|before|so early|this early))"
        r"|\b(?:hope|hoping|wish|pray|praying) (?:that )?i (?:do not|will not|would not|never"
        r"|did not) wake up\b"
        r"|\b(?:sleep|go to sleep|fall asleep)(?: and)? (?:never wake up|not wake up)\b"
        rf"|\b(?:sleep|go to sleep|fall asleep) forever{_CLAUSE_END}"
        r"|\bnever (?:to )?wake up again\b",
        "wishing not to wake up",
    ),
    _rule(
        "en.not_want_to_live",
        _PI,
        r"\b(?:do not|no longer|not) (?:really |even |actually |particularly )?want to"
        r" (?:live|be alive|exist|keep living|continue living|stay alive)\b"
        r"(?! (?:in|with|near|at|on|there|here|close|somewhere|without|under|through))"
        r"|\b(?:do not|no longer) deserve to (?:live|be alive|exist)\b"
        r"|\b(?:do not|no longer) (?:really |even )?want to (?:be here|be around|go on"
        rf"|keep going){_CLAUSE_END}",
        "not wanting to live / exist ('live in this city' is excluded)",
        negatable=False,
    ),
    _rule(
        "en.unsure_want_to_live",
        _PI,
        r"\b(?:do not think|not sure|do not know if|do not know whether|not certain)"
        r" (?:that |if )?i (?:even |really |still )?want to (?:live|be alive|exist|go on"
        r"|keep living|keep going)\b(?! (?:in|with|near|at|on|there|here))",
        "doubting that one wants to live",
        negatable=False,
    ),
    _rule(
        "en.no_reason_to_live",
        _PI,
        r"\b(?:no|any|what is the|what's the|whats the|lost (?:my|the|all)|without (?:a|any)"
        r"|(?:do not|cannot|can't|fail to) see (?:the|a|any)) (?:real |good |single )?"
        r"(?:reason|point|purpose|will)s? (?:for me |at all |left )?(?:to|in|of|for)"
        r" (?:live|living|go on|going on|keep going|keep living|keeping going|being alive"
        r"|stay alive|staying alive|exist|existing|life)\b"
        r"(?! (?:in|with|here|there|on|at|near|like))"
        r"|\bnothing (?:left )?to live for\b|\bnot worth living\b",
        "no reason / point / will to live",
        negatable=False,
    ),
    _rule(
        "en.life_pointless",
        _PI,
        r"\b(?:being alive|living|existing|my life|life|existence)"
        r" (?:is|feels|seems) (?:so |completely |totally |just |utterly )?"
        rf"(?:pointless|meaningless|unbearable|hopeless|not worth it){_CLAUSE_END_LOOSE}",
        "life itself described as pointless or unbearable",
    ),
    _rule(
        "en.tired_of_living",
        _PI,
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|life|existing"
        rf"|it all){_CLAUSE_END_LOOSE}"
        r"|\b(?:i am|i feel) (?:so |just |completely |totally )?done (?:living|existing)\b",
        "tired of / done with living ('tired of life in this city' excluded)",
    ),
    _rule(
        "en.cannot_go_on",
        _PI,
        rf"\b(?:cannot|can not|could not) (?:go on|carry on|keep going){_CLAUSE_END}"
        r"|\b(?:cannot|can not|could not) (?:keep living|continue living|live like this"
        r"|keep on living|go on living)\b",
        "cannot go on (living); 'can't go on vacation' is excluded",
    ),
    _rule(
        "en.burden",
        _PI,
        r"\b(?:i am|i feel like|i feel|i have become|i became|i am just|sorry for being)"
        r" (?:such |just |only |nothing but |a huge |a )?(?:a )?burden"
        r"(?: (?:to|on|for) (?:everyone|everybody|all of you|my family|the people|my friends"
        r"|you all|them|you)\b|(?= ?[,.!?;\n]|$))",
        "perceived burdensomeness (a burden to everyone, not 'when I ask for help')",
    ),
    _rule(
        "en.disappear_forever",
        _PI,
        r"\b(?:disappear|vanish|be gone)(?:ed)? (?:forever|for good|permanently"
        r"|and never come back)\b",
        "wanting to disappear permanently ('for a while' is excluded)",
    ),
    _rule(
        "en.only_way_out",
        _PI,
        r"\b(?:dying|death|suicide|to die|killing myself|ending it(?: all)?)\b[^.!?\n]{0,30}"
        r"\b(?:only|best|easiest|one|last) (?:way out|option|answer|solution|escape|choice"
        r"|way)\b"
        r"|\b(?:only|best|easiest|one|last) (?:way out|option|answer|solution|escape|choice)"
        r"\b[^.!?\n]{0,25}\b(?:dying|death|suicide|to die|killing myself|ending it)\b"
        r"|\bway out (?:except|but|other than|besides) (?:dying|death|suicide|to die)\b",
        "death framed as the only way out",
        negatable=False,
    ),
    _rule(
        "en.not_around_long",
        _PI,
        r"\b(?:will not|not going to) be (?:around|here) (?:much |for much |for )?"
        r"(?:longer|long|anymore|any ?more|any longer)\b",
        "stating one won't be around much longer",
    ),
    # --- self-harm ---
    _rule(
        "en.harm_myself",
        _SH,
        rf"\b(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|hurt|hurts|hurting|harm"
        rf"|harms|harming|harmed|hit|hitting|punch|punching|scratch|scratching|stab|stabbing"
        rf"|starve|starving|bruise|bruising|mutilate|mutilating) ?{_MYSELF}"
        r"(?! (?:some slack|a break|slack|off|a slice|a piece|shaving|by accident|accidentally"
        r"|up over|out of|in the foot|on (?:the|a|some|my|paper)(?! purpose)|with (?:coffee|tea"
        r"|hot|boiling|the (?:oven|stove|iron|kettle|pan))))",
        "hurting oneself with a first-person object; slack/off/accidents excluded",
        veto=_ACCIDENT,
    ),
    _rule(
        "en.cutting_again",
        _SH,
        r"\burges? to (?:cut|self ?harm|burn myself|hurt myself)\b"
        r"|\b(?:want to|wanting to|started|start|keep|kept|back to|been|relapsed into"
        r"|stop|stopped|quit) (?:cut|cutting)(?= (?:again|tonight|every)|$| ?[,.!?;\n])",
        "cutting as an activity or urge, with nothing being cut",
    ),
    _rule(
        "en.scratch_bleed",
        _SH,
        r"\b(?:scratch|scratching|pick|picking|cut|cutting|bite|biting) (?:at )?my"
        r" (?:arms?|wrists?|legs?|skin|thighs?)\b[^.!?\n]{0,30}\b(?:bleed|bleeds|bled|raw)\b",
        "injuring one's own skin until it bleeds",
    ),
    # --- means or plan ---
    _rule(
        "en.pills_ready",
        _MP,
        r"\b(?:pills|meds|medication|tablets)\b(?: are)? (?:ready|lined up|counted out"
        r"|counted|saved up|in front of me)\b"
        r"|\b(?:saving|saved|stockpil\w*|hoard\w*|collect\w*|stash\w*) (?:up )?(?:my |all my"
        r" |the |some |enough )?(?:pills|meds|medication|tablets|sleeping pills|painkillers)\b"
        r"|\b(?:took|taken|take|swallowed|swallow|taking) (?:a whole bottle|the whole bottle"
        r"|all (?:of )?(?:my|the)|a handful|too many|way too many|enough|every one)"
        r" (?:of )?(?:my |the )?(?:pills|meds|medication|tablets|sleeping pills|painkillers)\b"
        r"|\bhow many (?:of (?:my|these|the) )?(?:sleeping )?(?:pills|meds|tablets|painkillers)"
        r"\b[^.!?\n]{0,40}\b(?:take|need|kill|enough|lethal)\b"
        r"|\b(?:lethal|fatal) (?:dose|amount|overdose)\b",
        "collecting or counting pills, or a lethal dose",
        veto=r"\b(?:prescribed|prescription|doctor|as directed|antibiotics|feel better)\b",
    ),
    _rule(
        "en.overdose",
        _MP,
        r"\b(?:i (?:just |have |had |almost |nearly )?|to |going to |about to )"
        r"overdos(?:e|ed|ing)\b",
        "first-person or intended overdose (not 'the benchmark overdoses on X')",
    ),
    _rule(
        "en.rope",
        _MP,
        r"\b(?:bought|buy|buying|got|have|has|tied|tie|tying|found|keep|kept|made|making)"
        r"(?: a| the| my)? (?:rope|noose)\b|\bnoose\b",
        "acquiring a rope or noose ('end of my rope' is an idiom and not matched)",
    ),
    _rule(
        "en.weapon_on_self",
        _MP,
        r"\b(?:use|using|used|turn|turning|point|pointing) (?:it|that|this|the gun|a gun"
        r"|the knife|a knife|the blade|a blade|the razor|a razor) (?:on|at|against) myself\b",
        "turning a weapon on oneself",
    ),
    _rule(
        "en.jump_from",
        _MP,
        r"\bjump(?:ing|ed)? (?:off|from|in front of|out of|out|into)\b[^.!?\n]{0,30}"
        r"\b(?:bridges?|buildings?|roofs?|rooftops?|balcon(?:y|ies)|windows?|cliffs?|ledges?"
        r"|towers?|trains?|bus|buses|traffic|tracks|overpass|parking garage"
        r"|(?:top|highest|[0-9]+(?:st|nd|rd|th)) floor)\b"
        r"|\b(?:bridges?|roofs?|rooftops?|ledges?|balcon(?:y|ies)|buildings?|cliffs?)\b"
        r"[^.!?\n]{0,30}\b(?:want to|going to|will|could|about to|thinking (?:about|of)"
        r"|plan to|planning to|ready to) jump\b",
        "jumping from a height or in front of a vehicle ('rather X than Y' is hyperbole)",
        veto=r"\brather\b[^.!?\n]{0,60}\bthan\b",
    ),
    _rule(
        "en.plan",
        _MP,
        r"\b(?:have|had|made|got|making|written|wrote|worked out|figured out|set|picked"
        r"|chosen|chose) (?:a |the |my )?(?:plan|date|method|way|time|place)s?"
        r" (?:to|for|of how to|for how to) (?:kill myself|die|end (?:my|it)|take my|suicide"
        r"|do it)\b",
        "a plan, date or method to die",
    ),
    _rule(
        "en.research_method",
        _MP,
        r"\b(?:research|researching|researched|looked up|looking up|look up|googled|googling"
        r"|searched|searching|reading about|looking into)\b[^.!?\n]{0,30}"
        r"\b(?:ways|how|methods|painless ways)\b[^.!?\n]{0,15}\b(?:kill myself|die|end my life"
        r"|end it|suicide|overdose)\b",
        "looking up methods",
    ),
    # --- farewell (strong forms; weaker goodbyes are combined below) ---
    _rule(
        "en.suicide_note",
        _FW,
        r"\bsuicide (?:note|letter)s?\b"
        r"|\b(?:written|wrote|write|writing|finished|left|leaving) (?:(?:my|a|the) )?"
        r"(?:(?:goodbye |farewell )?note(?=$| ?[,.!?;\n]| for (?:my|everyone|you all|when"
        r"|whoever))|letters? to (?:my|everyone|all of you)\b)"
        r"|\b(?:written|wrote|writing|write) (?:my |the )?(?:goodbye|farewell) (?:letters?|notes?)\b",
        "a suicide or goodbye note ('my notes on the paper' is plural and not matched)",
        veto=r"\b(?:last day|new job|new role|graduat\w*|retir\w*|leaving (?:the|this|our)"
        r" (?:lab|company|team|group|job)|christmas|birthday|holiday|cards?|recommendation"
        r"|reference|cover|thank-?you|support|grant|visa)\b",
    ),
    _rule(
        "en.by_the_time",
        _FW,
        r"\bby the time (?:you|anyone|someone|people|you all|everyone) (?:read|reads|see|sees"
        r"|find|finds) this\b",
        "'by the time you read this'",
    ),
    _rule(
        "en.goodbye_forever",
        _FW,
        r"\b(?:goodbye|good bye|bye|farewell) (?:forever|for good|for the last time)\b"
        r"|\bthis is (?:my )?(?:final |last )?goodbye\b",
        "an explicit final goodbye",
        veto=r"\b(?:last day|new job|new role|graduat\w*|moving|retir\w*|see you|keep in touch"
        r"|stay in touch|leaving (?:the|this|our) (?:lab|company|team|group|job))\b",
    ),
    _rule(
        "en.give_away",
        _FW,
        r"\b(?:gave|given|giving|give) away (?:all (?:of )?my|everything|most of my"
        r"|my (?:stuff|things|belongings|possessions))\b",
        "giving possessions away",
    ),
    _rule(
        "en.tell_them_i_love",
        _FW,
        r"\btell (?:my (?:mom|mum|mother|dad|father|parents|family|sister|brother|partner"
        r"|wife|husband|girlfriend|boyfriend|kids|children|friends)|everyone|them|her|him)"
        r" (?:that )?i (?:love|loved|am sorry)\b",
        "last messages for loved ones",
    ),
    # --- Chinese ---
    _rule(
        "zh.want_die",
        _SI,
        r"想(?:要)?(?:去)?死(?![锁循机板角磕扛守心定亡刑记])(?!你|您|他|她|它|我了|人了|我们|咱|的心)"
        r"|(?<![你他她它])去死",
        "想死/想去死; not 想死你了 (miss you), 想死的心都有 (idiom), 死锁, 你去死 (abuse)",
        veto=_MACHINE_SUBJECT_ZH,
    ),
    _rule(
        "zh.not_want_live",
        _SI,
        r"不(?:太)?想(?:再)?活(?:了|下去|着|下来)?(?!在(?!这个世界|世界|世上|人间))(?![成得])"
        r"|活不下去|不想再活",
        "不想活/活不下去; not 不想活在加班文化里 (live in), 活成 (become), 活得 (live so)",
        negatable=False,
    ),
    _rule(
        "zh.end_life",
        _SI,
        r"结束(?:掉)?(?:我)?(?:自己的?)?(?:生命|自己)|结束(?:这)?一切|了结(?:我)?(?:自己|生命|此生)"
        r"|自我了断|一了百了|一死了之|自尽|离开(?:这个|这)?(?:世界|人世|人间|世上)"
        r"|把(?:我)?自己(?:了结|结束|杀了|杀掉|解决掉)",
        "ending one's life / leaving this world",
    ),
    _rule(
        "zh.how_to_die",
        _SI,
        r"(?:怎么|如何|怎样)(?:去)?死(?![了的锁机循])",
        "how to die (not 怎么死了 'how did it die')",
    ),
    _rule(
        "zh.better_dead",
        _PI,
        r"(?<![累笑气忙饿热困烦吓痛疼逼搞磨冷急])死了?(?:就|才|便|也)?(?:会不会|是不是|能|会|可以)?"
        r"(?:解脱|轻松|更好|比较好|最好|算了|一了百了)"
        r"|(?<![累笑气忙饿热困烦吓痛疼逼搞磨冷急])死了?就好了?"
        r"|(?:消失|不在)了?(?:就|才|也)?(?:会不会|是不是|会)?(?:更好|比较好|最好)"
        r"|没(?:有)?我[^，。！？,.!?\n]{0,8}更好"
        r"|我(?:死了|不在了|消失了|走了以后)[^。！？.!?\n]{0,12}(?:轻松|更好|解脱|开心|好过|清净)",
        "death or absence as relief; 累死/笑死 idioms and machine subjects excluded",
        veto=_MACHINE_SUBJECT_ZH,
    ),
    _rule(
        "zh.nobody_miss",
        _PI,
        r"(?:我死了|我不在了|我消失了?|我走了)[^。！？.!?\n]{0,8}(?:没人|不会有人|没有人)"
        r"|(?:不会有人|没有人|没人)(?:会)?(?:想念|怀念|记得|想)我",
        "nobody would miss the writer",
    ),
    _rule(
        "zh.live_pointless",
        _PI,
        r"(?<![干快生])活着(?:真的|好|太|很|真)?(?:没有?意思|没有?意义|好累|太累|真累|很累|好痛苦"
        r"|太痛苦|没有?希望|有什么意思|有什么意义|干什么|干嘛)"
        r"|不配活|不(?:应该|该)活(?:着|下去)|不值得活",
        "living described as pointless or undeserved",
    ),
    _rule(
        "zh.not_wake",
        _PI,
        r"(?:不想|不要|不用|不愿|别)(?:再)?醒(?:来|过来)|一睡不醒|(?:再也|永远)不(?:要|想|会)?醒",
        "not wanting to wake up",
        negatable=False,
    ),
    _rule(
        "zh.disappear_forever",
        _PI,
        r"永远(?:地)?消失|消失[^，。！？,.!?\n]{0,3}永远",
        "disappearing forever",
    ),
    _rule(
        "zh.harm_self",
        _SH,
        r"(?:割|划|割伤|划伤|伤害|烫|掐|烧|刺)(?:了)?自己",
        "hurting oneself",
    ),
    _rule(
        "zh.pills",
        _MP,
        r"(?:囤|攒|存|买好|准备好|备好|藏)[^，。！？,.!?\n]{0,6}(?:安眠药|药)"
        r"|(?:一次|全部|一起|全都)(?:吃完|吃掉|吞下|吃下|吞掉)|安眠药[^，。！？,.!?\n]{0,8}(?:一睡不醒|吃完|全吃)"
        r"|(?:想|要|打算|准备)(?:去)?吞(?:药|安眠药|药片)|吞(?:了)?(?:一瓶|一把|很多|好多)(?:药|安眠药)",
        "stockpiling pills or planning to take them all",
    ),
    _rule(
        "zh.plan",
        _MP,
        r"(?:计划|想好|决定|打算|选好)(?:好)?(?:了)?(?:怎么|如何|哪天|什么时候|在哪)(?:去)?死",
        "a plan for how or when to die",
    ),
    _rule(
        "zh.rope",
        _MP,
        r"(?:准备好|买好|买了|备好)(?:了)?绳子",
        "preparing a rope",
    ),
    _rule(
        "zh.jump",
        _MP,
        r"(?:楼|桥|天台|顶楼|阳台|窗|屋顶|悬崖)[^。！？.!?\n]{0,8}跳下",
        "jumping from a height (not a scene in a film or the news)",
        veto=rf"{_MENTION_ZH}|镜头|视频|画面|剧情",
    ),
    _rule(
        "zh.farewell_forever",
        _FW,
        r"永别",
        "永别 = farewell forever",
    ),
)

# Tier 2: topic words. Only count for sentences that are about the writer and
# are not research / media / moderation talk or about someone else.
_TOPIC: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("en.topic_suicide", _SI, re.compile(r"\bsui ?cid\w*|\bsewer ?slide\w*|\bun ?aliv\w*")),
    ("en.topic_self_harm", _SH, re.compile(r"\bself ?(?:harm\w*|injur\w*|mutilat\w*)")),
    ("zh.topic_suicide", _SI, re.compile(r"自杀|自殺|轻生|寻死")),
    ("zh.topic_self_harm", _SH, re.compile(r"自残|自伤|割腕")),
    ("zh.topic_means", _MP, re.compile(r"跳楼|烧炭|上吊")),
    ("zh.topic_note", _FW, re.compile(r"遗书")),
)
# The sentence is about the writer: first person, or a cue word typical of
# disclosures ("again", "tonight", "thoughts of", "只有", "想"). A share of a
# few words ("suicide.", "自杀") has no context either way and also counts.
_ABOUT_ME = re.compile(
    r"\b(?:i|me|my|myself|mine)\b"
    r"|\b(?:again|tonight|lately|anymore|keeps?|on my mind|crossing my mind|only option"
    r"|thinking (?:about|of)|think about|thought about"
    r"|only way|relapse\w*|urges?|thoughts?|considering|contemplating)\b"
    r"|我|自己|想|要|打算|准备|念头|想法|冲动|又|一直|总|试过|未遂|唯一|出路|写|留"
)

# Farewell combinations: a goodbye phrase plus a finality cue or an apology.
_GOODBYE = re.compile(
    r"\b(?:goodbye|good bye|farewell|bye (?:everyone|all|guys|friends)|say(?:ing)? goodbye"
    r"|thank you (?:all )?for everything|thanks for everything"
    r"|you were (?:good|great|the best|wonderful) friends)\b"
    r"|再见|永别|谢谢(?:你们|大家)|对不起(?:大家|你们)"
)
_FINALITY = re.compile(
    r"\bi (?:will not|am not going to|am never going to) (?:be (?:here|around)|see (?:you|anyone))\b"
    r"|\b(?:i will be|i am) gone\b(?! for)|\bnever see (?:you|any of you)\b"
    r"|\bthis is (?:my )?(?:last|final) (?:message|post|time)\b(?! (?:before|until|for|of|in|on|here))"
    r"|\bbefore i go$|\bbefore i go[,.!;]"
    r"|\b(?:my time is up|it is time for me to go|i have made up my mind)\b"
    r"|\b(?:going to|will) do it (?:tonight|today|now|soon|this weekend)\b"
    r"|最后一(?:条|句)(?:消息|留言|话)|最后一次(?:说|跟|和|见)|再也见不到|下辈子|来世"
)
# Apologies and last words that close a goodbye.
_CLOSURE = re.compile(
    r"\b(?:sorry|forgive me) for (?:everything|being (?:a|such a) burden|all (?:the|of the)"
    r" (?:trouble|pain))\b|\bforgive me\b|\bi am (?:so )?sorry(?= ?[.!]|$)|\bi love you all\b"
    r"|\btake care of (?:each other|yourselves|my)\b"
    r"|\b(?:do not|never) blame (?:yourselves|yourself|anyone|each other)\b"
    r"|\b(?:it is|it was) not (?:your|anyone's) fault\b"
)
_LEAVING_JOB = re.compile(
    r"\b(?:last day|new job|new role|new position|graduat\w*|moving|retir\w*|sabbatical"
    r"|vacation|holiday|conference|see you|keep in touch|stay in touch|signing off|log(?:ging)? off"
    r"|(?:on|parental|medical|sick|annual|maternity|paternity|study) leave"
    r"|leaving (?:the|this|our) (?:lab|company|team|group|job|org|university))\b"
    r"|离职|毕业|新公司|新工作|下个月|下周|回国|休假|出差"
)

# Negation immediately before a match, within the same clause.
_NEG_TAIL = re.compile(
    r"(?:\bnot|\bnever|\bno longer|\bnothing like)"
    r"(?: (?:really|ever|even|actually|going|want|wanting|planning|plan|intending|intend|to|be"
    r"|about|ready|able|i|am|will|would|do|so|at|all|have|feel|feeling|currently)){0,4} ?$"
)
# "it/he/the model wants to die": the subject is not the writer.
_OTHER_SUBJECT_TAIL = re.compile(
    r"\b(?:it|he|she|they|model|agent|character|bot|chatbot|policy|ai|llm|npc|villain|hero)"
    r"(?: (?:really|still|just|also|apparently|supposedly|says|said|claims))? $"
)
# "trying not to self-harm" signals an urge, not a negation.
_URGE_TAIL = re.compile(r"\b(?:try|trying|tried|hard|struggling|struggle|fighting|fight) not to ?$")
# A-not-A questions (要不要, 想不想) ask "whether", they do not negate.
_A_NOT_A_TAIL = re.compile(r"(.)不\1$")
_NEG_TAIL_ZH = re.compile(r"(?:不|没|没有|别|不会|不要|不想|从没|从来没|绝不|并不|不再)(?:会|想|要|再)?$")
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n，。；：！？]")
_SENTENCE = re.compile(r"[^.!?\n。！？]+")
_QUOTED = re.compile(r"\"[^\"\n]{0,300}\"|(?<![a-z0-9])'[^'\n]{1,300}'(?![a-z0-9])")
_TITLE = re.compile(r"《[^》\n]{0,100}》")

# Words rebuilt from deliberately spaced-out letters are searched for these
# compact keys without word boundaries ("i w a n t t o d i e" -> "iwanttodie").
_COMPACT_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("killmyself", _SI),
    ("killingmyself", _SI),
    ("wanttodie", _SI),
    ("wannadie", _SI),
    ("suicid", _SI),
    ("endmylife", _SI),
    ("unalive", _SI),
    ("kms", _SI),
    ("selfharm", _SH),
    ("cutmyself", _SH),
    ("hangmyself", (*_SI, *_MP)),
    ("nobodywouldmissme", _PI),
)
_COMPACT_NEGATORS = ("dont", "donot", "not", "never")
# Dotted words must match one of these as a whole word ("sui.cide", "k.ms"),
# so "self.harm_classifier" in a code snippet is not a hit.
_DOTTED_KEYS = re.compile(r"sui ?cid(?:e|es|al)|unaliv(?:e|ed|ing)|kil+my ?self|kms")


def _clause_prefix(text: str, start: int) -> str:
    """Return the text of the current clause before ``start`` (at most 60 chars)."""
    window = text[max(0, start - 60) : start]
    parts = _CLAUSE_BREAK.split(window)
    return parts[-1] if parts else ""


def _other_subject(text: str, start: int) -> bool:
    """Tell whether an English match is predicated of someone or something else."""
    return bool(_OTHER_SUBJECT_TAIL.search(_clause_prefix(text, start)))


def _negated(text: str, start: int) -> bool:
    """Tell whether the match at ``start`` is directly negated in its clause."""
    prefix = _clause_prefix(text, start)
    if _URGE_TAIL.search(prefix) or _A_NOT_A_TAIL.search(prefix):
        return False
    return bool(_NEG_TAIL.search(prefix) or _NEG_TAIL_ZH.search(prefix))


_SENTENCE_BREAKS = frozenset(".!?\n。！？")


def _sentence_at(text: str, start: int) -> str:
    """Return the sentence that contains position ``start``."""
    left = start
    while left > 0 and text[left - 1] not in _SENTENCE_BREAKS:
        left -= 1
    right = start
    while right < len(text) and text[right] not in _SENTENCE_BREAKS:
        right += 1
    return text[left:right]


def _prepare(text: str) -> str:
    """Blank out titles, and quoted phrases when the share reads as research talk."""
    text = _TITLE.sub(" ", text)
    if _MENTION.search(text):
        text = _QUOTED.sub(" ", text)
    return text


def _match_rules(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Apply the tier-1 rule table to normalised text."""
    hits: list[tuple[str, tuple[str, ...]]] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            if rule.negatable and _negated(text, m.start()):
                continue
            if rule.rule_id.startswith("en.") and _other_subject(text, m.start()):
                continue
            if rule.veto is not None and rule.veto.search(_sentence_at(text, m.start())):
                continue
            hits.append((rule.rule_id, rule.categories))
            break
    return hits


def _is_short(text: str) -> bool:
    """Tell whether a share is too short to carry any context (a bare "自杀")."""
    return len(text.split()) <= 3 and len(text) <= 24


def _match_topics(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Apply the tier-2 topic words, sentence by sentence."""
    hits: list[tuple[str, tuple[str, ...]]] = []
    short = _is_short(text)
    for sent in _SENTENCE.finditer(text):
        sentence = sent.group()
        if _MENTION.search(sentence) or _THIRD_PARTY.search(sentence):
            continue
        if not (short or _ABOUT_ME.search(sentence)):
            continue
        for rule_id, cats, pattern in _TOPIC:
            for m in pattern.finditer(sentence):
                if not _negated(sentence, m.start()):
                    hits.append((rule_id, cats))
                    break
    return hits


def _match_farewell(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Combine two of goodbye / finality / closure, unless it is a job farewell."""
    if _LEAVING_JOB.search(text):
        return []
    goodbye = bool(_GOODBYE.search(text))
    apology = bool(_CLOSURE.search(text))
    final = bool(_FINALITY.search(text))
    if (final and (goodbye or apology)) or (goodbye and apology):
        return [("farewell.combination", _FW)]
    return []


def _match_compact(words: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """Search words rebuilt from spaced-out or dotted letters for compact keys."""
    hits: list[tuple[str, tuple[str, ...]]] = []
    for word in words:
        if word.startswith("+"):
            if _DOTTED_KEYS.fullmatch(word[1:]):
                hits.append(("compact.dotted", _SI))
            continue
        for key, cats in _COMPACT_KEYS:
            pos = word.find(key)
            if pos < 0 or (key == "kms" and word != key):
                continue
            if any(word[:pos].endswith(neg) for neg in _COMPACT_NEGATORS):
                continue
            hits.append((f"compact.{key}", cats))
    return hits


def _variants(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Normalise with 1 read as 'i' and, if the share has a 1, also as 'l'."""
    variants = [_normalise(text, "i")]
    if "1" in text or "１" in text:
        variants.append(_normalise(text, "l"))
    return variants


def explain(text: str) -> tuple[str, ...]:
    """Return the ids of the rules that fired (fixed ids, never share text)."""
    ids: list[str] = []
    for norm, spaced in _variants(text):
        prepared = _prepare(norm)
        hits = (
            _match_rules(prepared)
            + _match_topics(prepared)
            + _match_farewell(prepared)
            + _match_compact(spaced)
        )
        ids.extend(rule_id for rule_id, _ in hits if rule_id not in ids)
    return tuple(ids)


def screen(text: str) -> Screening:
    """Screen one share for crisis language."""
    found: set[str] = set()
    for norm, spaced in _variants(text):
        prepared = _prepare(norm)
        for _, cats in (
            _match_rules(prepared)
            + _match_topics(prepared)
            + _match_farewell(prepared)
            + _match_compact(spaced)
        ):
            found.update(cats)
    categories = tuple(c for c in CATEGORIES if c in found)
    return Screening(flagged=bool(categories), categories=categories)
