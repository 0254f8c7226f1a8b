"""English rule tables: first-person crisis language and the warning signs, as readable rows.

Rules look for a first-person object or subject ("kill myself", not "kill the process") and
for desire or intent ("want to die", not "the run died"). Warning signs that are not crisis
words on their own (a goodbye, giving things away, a date) are ``Combo`` rows in
``COMBOS_EN``: each needs two kinds of cue, and ordinary lab life (leaving for a new job,
moving flat, a deadline) vetoes it.
"""

from __future__ import annotations

import re

from bot.screening.model import BU, FW, GA, MP, PI, SH, SI, Combo, Rule, combo, rule

# Shared fragments.
_MYSELF = r"my ?s(?:elf|lef|ef|elv)(?!\w)"  # typos too (myslef); "my selfattention": recognised, excluded
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
MENTION_EN = (
    r"\b(?:classifiers?|classification|models?|datasets?|data|detect\w*|prevention|papers?"
    r"|research\w*|study|studies|content|posts?|prompts?|label\w*|annotat\w*|eval\w*"
    r"|benchmark\w*|filter\w*|moderat\w*|hotlines?|lifeline|awareness|squad|risk|rates?"
    r"|statistics|polic(?:y|ies)|categor(?:y|ies)|instructions|articles?|news|refus\w*"
    r"|red ?team\w*|jailbreak\w*|corpus|tweets?|reddit|subreddit|forums?|survey|interventions?"
    r"|clinical|clinicians?|patients?|literature|reading group|workshop|lecture|course"
    r"|guidelines?|reporting|books?|film|movie|documentary|song|lyrics|character|game"
    r"|mission|outputs?|responses?|quer(?:y|ies)|examples?|samples?|f1|precision|recall"
    r"|accuracy|raters?|phrases?|keywords?|flags?|flagged|over-?flags?|tiktok|slang"
    r"|algorithms?|triage|taggers?|toxicity|euphemisms?|nlp)\b"
)
# Questions about someone else ("how do I support a friend who is suicidal").
# Only the topic-word tier uses this, and only when the other person is the one
# described: "my partner is gone and I keep thinking about suicide" is not vetoed.
THIRD_PARTY = re.compile(
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

# Shared by the warning-sign rules below (and by the vetoes of a few first-person rules).
_S = r"[^.!?\n]"  # a character within the sentence
_ME_GONE = (
    r"(?:gone|dead|not (?:here|around|alive)|no longer (?:here|around)|out of the picture"
    r"|not in (?:it|the picture))"
)
_PEOPLE = (
    r"(?:everyone|everybody|they|people|you all|all of you|you guys|the world|the lab|the group|the team"
    r"|my (?:family|parents|mum|mom|mother|dad|father|partner|wife|husband|girlfriend|boyfriend|friends"
    r"|supervisor|advisor|sister|brother|kids|roommate)|(?:she|he|no one|nobody))"
)
# Ordinary reasons to leave, say goodbye or hand things on: a job, a move, a holiday, a talk.
ORDINARY_LEAVING_EN = (
    r"\b(?:new (?:job|role|position|lab|flat|apartment|house|chapter|email)|starting (?:at|my|a)\b"
    r"|start(?:ing)? (?:at|on) (?:monday|tuesday|wednesday|thursday|friday|\w+ (?:on|next))"
    r"|moving (?:to|back|out|in|flats?|house|abroad|labs?|on)|move (?:out|abroad|to)|moved on|relocat\w*"
    r"|postdoc|faculty|internship|contract|graduat\w*|defen[cs]e|defended|viva|visa|retir\w*"
    r"|sabbatical|(?:parental|maternity|paternity|medical|sick|annual|study) leave|leave of absence"
    r"|holiday\w*|vacation|trip|conference|summer school|flight|plane|board(?:ing)?|airport|wedding"
    r"|surgery|fieldwork|semester|term|course|lecture|module|alumni|archived|academia"
    r"|industry|startup|pharma|deepmind|linkedin|keep in touch|stay in touch|don't be strangers"
    r"|see you (?:all )?(?:at|in|on|there|tomorrow|soon|next|after|around)|visit\w*|drinks|lunch|dinner"
    r"|party|leaving (?:the|this|our|my) (?:lab|group|department|company|team|job|position|server|university)"
    r"|last day|my badge|masters?|phd programme|funeral|passed away|the vet|podcast|episode|twitter"
    r"|bluesky|log(?:ging)? off (?:early|for)|signing off (?:for (?:the|to)|from this)|good ?night"
    r"|going to (?:sleep|bed)|go to bed|detox|offline for|until (?:january|monday|next)|for (?:two|three|a "
    r"few|\d+)"
    r" (?:weeks|months|days)|back (?:in|on|by|after)|i will be back|be back (?:in|on|soon|next)"
    r"|for the weekend|this weekend only|new campus|new building|old (?:lab )?(?:office|building)|appointment"
    r"|dentist|out of office|ooo|day off|off (?:tomorrow|today|next)|travel\w*|away (?:for|until|on)|busy"
    r"|off to|my own (?:company|business|startup|lab)|it(?:'s| has) been (?:a blast|fun|great|amazing|a ple"
    r"asure"
    r"|a privilege|a wild ride|a ride)|(?:final|last) group meeting)|\bwrap(?:ping)? up (?:the|my) (?:thesis"
    r"|phd|project|contract)\b"
    r"|毕业|搬家|搬去|离职|考完|入职"
)
# What an ordinary plan is about. Unlike ORDINARY_LEAVING_EN it leaves out the events a crisis plan
# is often timed by (a defence, a wedding, the semester, a contract, a birthday).
PLAN_ORDINARY_EN = (
    r"\b(?:new (?:job|role|position|lab|flat|apartment|house|chapter)|postdoc|starting (?:at|my|a)\b"
    r"|moving (?:to|back|out|in|abroad|flats?|house|labs?)|move (?:out|abroad|to)|relocat\w*|faculty"
    r"|internship|industry|startup|academia|sabbatical|apply\w*|switch\w*|supervisors?|diet|lease"
    r"|holiday|vacation|trip|travel\w*|party|drinks|dinner|lunch|hike|climbing|marathon|gym"
    r"|thesis (?:topic|draft|chapter)|masters|phd programme|quit the phd|off to"
    r"|keep in touch|see you)\b"
)
# Research, moderation, reading and teaching talk about the topic, not a disclosure.
TOPIC_TALK_EN = (
    rf"{MENTION_EN}|\b(?:felix hill|essay|warning signs?|gatekeeper|qpr|first aid|red ?team\w*"
    r"|annotat\w*|poster|lecture|talk on|prevention|werther|epidemiolog\w*|asking for ways)\b"
)
_HOBBY_EN = (
    r"\b(?:climb\w*|crag|boulder\w*|belay|harness|via ferrata|hik\w*|camp(?!us)\w*|barbecue|bbq|sausages"
    r"|kitchen|cook\w*|chef|bread|cake|fridge|doorway|view|sunset|cable car|jet lag|doctor|prescribed"
    r"|prescription for|as directed|gym|football|skydiv\w*|bungee|paraglid\w*|diving|dive|pool"
    r"|trampoline|skiing|kayak\w*|sailing|archery|fencing|hunting|fishing|whittl\w*|darts|range"
    r"|festive|party|light|training faster|mixed precision|experiments?|model|dataset|code|cycle path|cycling"
    r"|race route|bike route"
    r"|closed|detour|long way round|marathon)\b"
)

RULES_EN: tuple[Rule, ...] = (
    # --- suicidal ideation (explicit wish / intent to die or kill oneself) ---
    rule(
        "en.kill_myself",
        SI,
        rf"\b(?:kil+|kil+s|kil+ed|kil+ing|off|offing|unalive|un alive) ?{_MYSELF}"
        r"(?! (?:trying|working|to (?:get|finish|meet|make|hit|keep|ship)|for (?:this|that|the)))",
        "killing oneself with a first-person object; progressive 'killing myself trying to"
        " finish X' is a stress idiom",
    ),
    rule(
        "en.method_myself",
        (*SI, *MP),
        rf"\b(?:hang|hanged|hanging|hung|drown|drowning|shoot|shooting|shot|poison|poisoning"
        rf"|electrocute|suffocate|strangle) ?{_MYSELF}(?! in the (?:foot|leg|arm))",
        "a method with a first-person object; 'shot myself in the foot' is an idiom",
    ),
    rule(
        "en.kms",
        SI,
        r"(?<![0-9.,])(?<![0-9] )\bkms\b",
        "'kms' = kill myself; not after a number (5 kms = kilometres)",
    ),
    rule(
        "en.want_to_die",
        SI,
        r"\b(?:want|wants|wanted|wanting|wish|wishing|ready|deserve|deserves|plan|planning"
        r"|trying|try|need|needs|like|decided|choose|long|longing) to (?:just |really |simply )?"
        r"(?:die|be dead|stop (?:existing|living|being alive)|not (?:exist|be alive)"
        r"|cease to exist)\b(?! on (?:this|that|the) hill| a little| inside| (?:my|your|her|his|their) hair"
        r"|,? but (?:in a|like a|only a) )",
        "desire or intent verb + die; 'die on this hill', 'die a little' are idioms",
    ),
    rule(
        "en.want_it_over",
        SI,
        r"\bwant (?:it all|everything|all of it|all this|my life) to (?:be over|end|stop)\b",
        "wanting everything to be over (not 'want this semester to end')",
    ),
    rule(
        "en.should_die",
        SI,
        r"\bi (?:should|might as well|may as well|ought to) (?:just |simply )?(?:die|be dead)\b",
        "first-person 'I should just die'",
    ),
    rule(
        "en.end_my_life",
        SI,
        r"\b(?:end|ends|ended|ending) (?:my|my own) life\b"
        r"|\b(?:take|takes|taking|took|taken) my own life\b"
        r"|\b(?:take|takes|taking|took|taken) my life\b(?! (?:back|less|more|seriously|into|in (?:my|your|t"
        r"heir|his|her) hands|for"
        r"|to|as|one|out|off|away|apart|by|with))"
        r"|\bend(?:ing)? (?:it all|my existence|my own existence|everything)\b(?! (?:else|we|for|on|at|in t"
        r"he))"
        r"|\bi (?:have |had )?attempted (?:before|last|in|once|twice|suicide|again)\b",
        "ending/taking one's own life",
    ),
    rule(
        "en.end_it",
        SI,
        r"\b(?:feel like|thinking (?:about|of)|going to|want to|ready to|plan(?:ning)? to"
        r"|decided to|about to|will|should|could|might|just) (?:just )?end(?:ing)? (?:it|things)\b"
        r"(?! (?:with|early|here|there|at|on|after|before|for|now|and|the|so|by|off|up))",
        "'going to end it' with no object that makes it about a task or relationship",
    ),
    rule(
        "en.suicidal_self",
        SI,
        r"\b(?:i am|i feel|i have been|i was|i get|i got|feeling|been feeling|been|getting"
        r"|felt) (?:so |very |really |kind of |a bit |pretty |quite |extremely |actively"
        r" |passively |more |increasingly |)?suicidal\b",
        "the writer describes themself as suicidal",
    ),
    rule(
        "en.think_about_dying",
        SI,
        r"\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]e|fantasi[sz]ing|imagin\w*"
        r"|obsess(?:ed|ing)?)(?: about| of)? (?:dying|my own death|my death|being dead|not being alive"
        r"|not existing|ending (?:it|my life|things|everything)|killing myself"
        r"|taking my (?:own )?life|death)\b",
        "dwelling on one's own death",
    ),
    rule(
        "en.all_i_think",
        SI,
        r"\ball i (?:can |ever )?(?:think about|want)(?: is| anymore is)"
        r" (?:dying|death|to die|killing myself|ending it)\b",
        "'all I think about is dying'",
    ),
    rule(
        "en.not_be_alive",
        SI,
        r"\b(?:will not|not going to|won't) be alive\b",
        "stating one will not be alive",
    ),
    # --- passive ideation (indirect wish to be dead, no reason to live) ---
    rule(
        "en.wish_dead",
        PI,
        r"\bwish (?:that )?i (?:was|were|could be) dead\b"
        r"|\bwish(?:ing|ed)? (?:that )?i (?:had |would )?never (?:been born|existed|woke up)\b"
        r"|\bwish (?:that )?i (?:did not|did not ever) exist\b"
        r"|\bwish (?:that )?i could (?:just )?(?:die|not exist|stop existing|disappear forever"
        r"|go to sleep and (?:never|not) wake up|sleep forever)\b",
        "wishing to be dead or never to have existed",
    ),
    rule(
        "en.better_off",
        PI,
        rf"\bbetter off (?:without me|dead|with me (?:gone|dead)|{_IF_I_GONE})"
        rf"|\b(?:easier|better|simpler|happier) (?:for (?:\w+ ){{1,2}})?{_IF_I_GONE}"
        r"|\b(?:everyone|everybody|they|my family|the world|people|you all|the lab|my parents)"
        r" (?:would|will) be (?:so much |much |a lot )?(?:happier|better|better off|easier)"
        r" without me\b",
        "perceived burdensomeness: others better off without the writer",
    ),
    rule(
        "en.nobody_miss",
        PI,
        r"\b(?:nobody|no one|no-one|noone|none of you) (?:would|will|is going to|could|would ever)"
        r" (?:even |really |actually |ever |probably )?(?:miss|notice|care|mourn|remember)"
        rf"(?: about)? (?:me\b|{_IF_I_GONE}|when i am (?:gone|dead)\b)",
        "nobody would miss / notice / care if the writer were gone",
    ),
    rule(
        "en.not_wake_up",
        PI,
        r"\b(?:do not|never) want to wake up\b(?! (?:early|at|for|before|so early|this early))"
        r"|\b(?:do not|never) want to ?醒"
        r"|\b(?:wish|wishing|hope|hoping|pray|praying)\b[^.!?\n]{0,30}\b(?:i (?:was|were) not alive"
        r"|(?:it|this|the \w+) (?:will |would )?takes? me\b(?! (?:out|to|back|away|for|a|an|ages|long|off|on"
        r"|into|through|down|up|\d))"
        r"|(?:something|someone|it) (?:will |would )?(?:just )?end me|my heart (?:would |will )?(?:just )?st"
        r"op"
        r"|i could (?:just )?(?:evaporate|vanish|cease))\b"
        r"|\bnot being (?:here|alive|around) sounds\b|\bwould not fight it if\b"
        r"|\b(?:hope|hoping|wish|pray|praying) (?:that )?i (?:do not|will not|would not|never"
        r"|did not) wake up\b"
        r"|\b(?:sleep|go to sleep|fall asleep)(?: and)? (?:never wake up|not wake up)\b"
        rf"|\b(?:sleep|go to sleep|fall asleep) forever{_CLAUSE_END}"
        r"|\bnever (?:to )?wake up again\b"
        r"|\b(?:fall asleep|go to sleep|sleep)\b[^.!?\n]{0,30}\b(?:be the end of (?:it|me|everything)"
        r"|stay asleep)\b",
        "wishing not to wake up",
    ),
    rule(
        "en.not_want_to_live",
        PI,
        r"\b(?:do not|no longer|not) (?:really |even |actually |particularly )?want to"
        r" (?:live|be alive|exist|keep living|continue living|stay alive)\b"
        r"(?! (?:in|with|near|at|on|there|here|close|somewhere|without|under|through))"
        r"|\b(?:do not|no longer) deserve to (?:live|be alive|exist)\b"
        r"|\b(?:do not|no longer) (?:really |even )?want to (?:be here|be around|go on"
        rf"|keep going){_CLAUSE_END}",
        "not wanting to live / exist ('live in this city' is excluded)",
        negatable=False,
    ),
    rule(
        "en.unsure_want_to_live",
        PI,
        r"\b(?:do not think|not sure|do not know if|do not know whether|not certain)"
        r" (?:that |if )?i (?:even |really |still )?want to (?:live|be alive|exist|go on"
        r"|keep living|keep going)\b(?! (?:in|with|near|at|on|there|here))",
        "doubting that one wants to live",
        negatable=False,
    ),
    rule(
        "en.no_reason_to_live",
        PI,
        r"\b(?:no|any|what is the|what's the|whats the|lost (?:my|the|all)|without (?:a|any)"
        r"|(?:do not|cannot|can't|fail to) see (?:the|a|any)) (?:real |good |single )?"
        r"(?:reason|point|purpose|will)s? (?:for me |at all |left )?(?:to|in|of|for)"
        r" (?:live|living|go on|going on|keep going|keep living|keeping going|being alive"
        r"|stay alive|staying alive|exist|existing|life)\b"
        r"(?! (?:in|with|here|there|on|at|near|like (?!this|that)))"
        r"|\bnothing (?:left )?to live for\b|\bnot worth living\b",
        "no reason / point / will to live",
        negatable=False,
    ),
    rule(
        "en.life_pointless",
        PI,
        r"\b(?:being alive|living|existing|my life|life|existence)"
        r" (?:is|feels|seems) (?:so |completely |totally |just |utterly )?"
        rf"(?:pointless|meaningless|unbearable|hopeless|not worth it){_CLAUSE_END_LOOSE}",
        "life itself described as pointless or unbearable",
    ),
    rule(
        "en.tired_of_living",
        PI,
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|life|existing|waking up"
        rf"|it all){_CLAUSE_END_LOOSE}"
        r"|\b(?:i am|i feel) (?:so |just |completely |totally )?done (?:living|existing)\b",
        "tired of / done with living ('tired of life in this city' excluded)",
    ),
    rule(
        "en.cannot_go_on",
        PI,
        rf"\b(?:cannot|can not|could not) (?:go on|carry on|keep going){_CLAUSE_END}"
        r"|\b(?:cannot|can not|could not) (?:keep living|continue living|live like this"
        r"|keep on living|go on living)\b",
        "cannot go on (living); 'can't go on vacation' is excluded",
        veto=r"\b(?:cluster|queue|job|code|experiments?|paper|deadline|reviewers?|model|runs?|bug|server|gpu"
        r"|build)\b",
    ),
    rule(
        "en.burden",
        PI,
        r"\b(?:i am|i feel like|i feel|i have become|i became|i am just|sorry for being)"
        r" (?:such |just |only |nothing but |a huge |a )?(?:a )?burden"
        r"(?: (?:to|on|for) (?:everyone|everybody|all of you|my family|the people|my friends"
        r"|you all|them|you)\b|(?= ?[,.!?;\n]|$))",
        "perceived burdensomeness (a burden to everyone, not 'when I ask for help')",
    ),
    rule(
        "en.disappear_forever",
        PI,
        r"\b(?:disappear|vanish|be gone)(?:ed)? (?:forever|for good|permanently"
        r"|and never come back)\b",
        "wanting to disappear permanently ('for a while' is excluded)",
    ),
    rule(
        "en.only_way_out",
        PI,
        r"\b(?:dying|death|suicide|to die|killing myself|ending it(?: all)?)\b[^.!?\n]{0,30}"
        r"\b(?:only|best|easiest|one|last) (?:way out|option|answer|solution|escape|choice"
        r"|way)\b"
        r"|\b(?:only|best|easiest|one|last) (?:way out|option|answer|solution|escape|choice)"
        r"\b[^.!?\n]{0,25}\b(?:dying|death|suicide|to die|killing myself|ending it)\b"
        r"|\bway out (?:except|but|other than|besides) (?:dying|death|suicide|to die)\b",
        "death framed as the only way out",
        negatable=False,
    ),
    rule(
        "en.not_around_long",
        PI,
        r"\b(?:will not|not going to) be (?:around|here|(?:a|one|an?) (?:burden|problem|bother|weight))"
        r" (?:much |for much |for )?(?:longer|long|anymore|any ?more|any longer)\b"
        r"|\bi (?:promise|swear) i will not be (?:one|a burden|a problem) (?:much|for) (?:longer|long)\b",
        "stating one won't be around much longer",
        veto=r"\b(?:since|because|visa|contract|moving|remote\w*)\b",
    ),
    # --- self-harm ---
    rule(
        "en.harm_myself",
        SH,
        rf"\b(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|hurt|hurts|hurting|harm"
        rf"|harms|harming|harmed|hit|hitting|punch|punching|scratch|scratching|stab|stabbing"
        rf"|starve|starving|bruise|bruising|mutilate|mutilating) ?{_MYSELF}"
        r"(?! (?:some slack|a break|slack|off|a slice|a piece|shaving|by accident|accidentally"
        r"|up over|out of|in the foot|on (?:the|a|some|my|paper)(?! purpose)|with (?:coffee|tea"
        r"|hot|boiling|the (?:oven|stove|iron|kettle|pan))))",
        "hurting oneself with a first-person object; slack/off/accidents excluded",
        veto=_ACCIDENT,
    ),
    rule(
        "en.cutting_again",
        SH,
        r"\burges? to (?:cut|self ?harm|burn myself|hurt myself)\b"
        r"|\b(?:want to|wanting to|started|start|keep|kept|back to|been|relapsed into"
        r"|stop|stopped|quit) (?:cut|cutting)(?= (?:again|tonight|every|this (?:weekend|week|morning)"
        r"|last night|after)|$| ?[,.!?;\n])",
        "cutting as an activity or urge, with nothing being cut",
    ),
    rule(
        "en.scratch_bleed",
        SH,
        r"\b(?:scratch|scratching|pick|picking|cut|cutting|bite|biting) (?:at )?my"
        r" (?:arms?|wrists?|legs?|skin|thighs?)\b[^.!?\n]{0,30}\b(?:bleed|bleeds|bled|raw)\b",
        "injuring one's own skin until it bleeds",
    ),
    # --- means or plan ---
    rule(
        "en.pills_ready",
        MP,
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
    rule(
        "en.overdose",
        MP,
        r"\b(?:i (?:just |have |had |almost |nearly )?|to |going to |about to )"
        r"overdos(?:e|ed|ing)\b",
        "first-person or intended overdose (not 'the benchmark overdoses on X')",
    ),
    rule(
        "en.rope",
        MP,
        r"\b(?:bought|buy|buying|got|have|has|tied|tie|tying|found|keep|kept|made|making)"
        r"(?: a| the| my)? (?:rope|noose)\b|\bnoose\b",
        "acquiring a rope or noose ('end of my rope' is an idiom and not matched)",
    ),
    rule(
        "en.weapon_on_self",
        MP,
        r"\b(?:use|using|used|turn|turning|point|pointing) (?:it|that|this|the gun|a gun"
        r"|the knife|a knife|the blade|a blade|the razor|a razor) (?:on|at|against) myself\b",
        "turning a weapon on oneself",
    ),
    rule(
        "en.jump_from",
        MP,
        r"\bjump(?:ing|ed)? (?:off|from|in front of|out of|out|into)\b[^.!?\n]{0,30}"
        r"\b(?:bridges?|buildings?|roofs?|rooftops?|balcon(?:y|ies)|windows?|cliffs?|ledges?"
        r"|towers?|trains?|bus|buses|traffic|tracks|overpass|parking garage"
        r"|(?:top|highest|[0-9]+(?:st|nd|rd|th)) floor)\b"
        r"|\b(?:bridges?|roofs?|rooftops?|ledges?|balcon(?:y|ies)|buildings?|cliffs?)\b"
        r"[^.!?\n]{0,30}\b(?:want to|going to|will|could|about to|thinking (?:about|of)"
        r"|plan to|planning to|ready to) jump\b",
        "jumping from a height or in front of a vehicle ('rather X than Y' is hyperbole)",
        veto=r"\brather\b[^.!?\n]{0,60}\bthan\b|\b(?:bungee|skydiv\w*|paraglid\w*|diving|dive|pool|high board"
        r"|cliff diving|base jumping|trampoline|documentary|parachute|hike|hiking|lake|sea|swim\w*|beach|qu"
        r"arry"
        r"|holiday|fun|freezing)\b",
    ),
    rule(
        "en.plan",
        MP,
        r"\b(?:have|had|made|got|making|written|wrote|worked out|figured out|set|picked"
        r"|chosen|chose) (?:a |the |my )?(?:plan|date|method|way|time|place)s?"
        r" (?:to|for|of how to|for how to) (?:kill myself|die|end (?:my|it)|take my|suicide"
        r"|do it)\b",
        "a plan, date or method to die",
    ),
    rule(
        "en.research_method",
        MP,
        r"\b(?:research|researching|researched|looked up|looking up|look up|googled|googling"
        r"|searched|searching|reading about|looking into)\b[^.!?\n]{0,30}"
        r"\b(?:ways|how|methods|painless ways)\b[^.!?\n]{0,15}\b(?:kill myself|die|end my life"
        r"|end it|suicide|overdose)\b",
        "looking up methods",
    ),
    # --- farewell (strong forms; weaker goodbyes are combined below) ---
    rule(
        "en.suicide_note",
        FW,
        r"\bsuicide (?:note|letter)s?\b"
        r"|\b(?:written|wrote|write|writing|finished|left|leaving) (?:(?:my|a|the) )?"
        r"(?:(?:goodbye |farewell )?note(?=$| ?[,.!?;\n]| for (?:my|everyone|you all|when"
        r"|whoever))|letters? to (?:my|everyone|all of you)\b)"
        r"|\b(?:written|wrote|writing|write) (?:my |the )?(?:goodbye|farewell) (?:letters?|notes?|messages?"
        r"|emails?"
        r"|texts?)\b",
        "a suicide or goodbye note ('my notes on the paper' is plural and not matched)",
        veto=r"\b(?:last day|new job|new role|graduat\w*|retir\w*|leaving (?:the|this|our)"
        r" (?:lab|company|team|group|job)|christmas|birthday|holiday|cards?|recommendation"
        r"|reference|cover|thank-?you|support|grant|visa)\b",
    ),
    rule(
        "en.by_the_time",
        FW,
        r"\bby the time (?:you|anyone|someone|people|you all|everyone) (?:read|reads|see|sees"
        r"|find|finds) this\b",
        "'by the time you read this'",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.goodbye_forever",
        FW,
        r"\b(?:goodbye|good bye|bye|farewell) (?:forever|for good|for the last time)\b"
        r"|\bthis is (?:my )?(?:final |last )?goodbye\b",
        "an explicit final goodbye",
        veto=ORDINARY_LEAVING_EN
        + r"|\b(?:last day|new job|new role|graduat\w*|moving|retir\w*|see you|keep in touch"
        r"|stay in touch|leaving (?:the|this|our) (?:lab|company|team|group|job))\b",
    ),
    rule(
        "en.give_away",
        FW,
        r"\b(?:gave|given|giving|give) away (?:all (?:of )?my|everything|most of my"
        r"|my (?:stuff|things|belongings|possessions))\b",
        "giving possessions away",
        veto=(
            r"\b(?:before i move|moving|anyone want\w*|if anyone|dm me|first come|pick up|up for grabs|col"
            r"lect"
            r"|still available|free to a good home|now that i|templates|upgraded?|new ones?)\b"
        ),
    ),
    rule(
        "en.tell_them_i_love",
        FW,
        r"\btell (?:my (?:mom|mum|mother|dad|father|parents|family|sister|brother|partner"
        r"|wife|husband|girlfriend|boyfriend|kids|children|friends)|everyone|them|her|him)"
        r" (?:that )?i (?:love|loved|am sorry)\b",
        "last messages for loved ones",
    ),
)


# ---------------------------------------------------------------------------
# Warning signs (issue 13): written from the public warning-sign lists (988 Lifeline /
# #BeThe1To, AFSP, Samaritans, IASP), one block per sign.
# ---------------------------------------------------------------------------

WARNING_RULES_EN: tuple[Rule, ...] = (
    # --- farewell and finality ---
    rule(
        "en.if_reading_this",
        FW,
        rf"\b(?:if|when|by the time) (?:you are|you're|anyone is|someone is|you) (?:reading|read|see|find)s?"
        rf" this\b{_S}{{0,40}}\b(?:gone|dead|not (?:here|around|alive)|too late|over)\b",
        "'if you are reading this, I am already gone'",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.after_i_am_gone",
        FW,
        r"\b(?:when|after|once|before|by the time) i (?:am|have) (?:gone|dead|not (?:here|around)"
        r"|no longer (?:here|around)|passed)\b(?! for| to)"
        r"|\bafter i (?:die|am not here|am not around|go)\b(?! (?:to|on|for|back|home|out|into|through))"
        r"|\b(?:keep|have|remember) (?:it|them|this|me) after (?:me|i am gone)\b",
        "arrangements for when the writer is gone",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.last_time",
        FW,
        r"\b(?:one last time|for the last time|the last (?:thing|message|post|share|words?) (?:i will|i am"
        r" going to|i) (?:ever )?(?:post|write|say|send|share)|last (?:message|post|share|words) before i go"
        r"|(?:final|last) (?:post|message|share|goodbye|words)(?:[.!]|$| from me\.? (?:do not|don't))"
        r"|my last wish|this is the end for me|i (?:do not|don't) mean (?:the|this|my) (?:lab|job|group|cit"
        r"y|server)|it (?:was|has been) nice knowing (?:you|all of you))",
        "words said as if for the last time",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.will_not_be_around",
        FW,
        r"\b(?:will not|am not going to|not going to|do not think i will|may not|might not) (?:be (?:around"
        r"|here"
        r"|alive)|see (?:any of )?you (?:again|all again)|be coming back|be back|hear from me again"
        r"|get the chance)\b"
        r"|\byou (?:will not|won't) (?:hear from|see) me (?:again|after)\b"
        r"|\b(?:do not|don't|please do not) (?:look for|come looking for|try to find) me\b",
        "saying one will not be around, with no ordinary reason given",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.not_your_fault",
        FW,
        r"\b(?:it (?:was|is) not|it's not|it wasn't|it isn't|this is not|none of this is) (?:anyone's|your|"
        r"anybody's"
        r"|any of your|their) fault\b|\b(?:do not|don't) be sad for (?:too )?long\b|\b(?:do not|don't|please"
        r" do not|never) blame (?:yourselves|yourself"
        r"|anyone|each other|my)\b|\bdo not be sad (?:for long|when i am gone|for me)\b"
        r"|\b(?:please )?(?:do not|don't) (?:cry|be sad|grieve) (?:for|over|about) me\b"
        r"|\bnone of this (?:was|is) (?:your|anyone's|anybody's) fault\b"
        r"|\bremember me (?:as|for|when)\b|\b(?:none of you|nobody|no one) could have (?:stopped|prevented|"
        r"changed|done)\b",
        "absolving others in advance",
    ),
    rule(
        "en.goodbye_letters",
        FW,
        rf"\b(?:wrote|written|writing|write|left|leaving|recorded|recording|made)\b{_S}{{0,50}}\b(?:letters?"
        r"|notes?|videos?|messages?|emails?|something|journal|diary|recording)\b(?: to| for)? (?:my (?:(?:li"
        r"ttle|big|younger|older) "
        r")?"
        r"(?:mum|mom|mother|dad|father|parents|family"
        r"|sister|brother|partner|wife|husband|kids|children|grandma|friends|girlfriend|boyfriend)"
        r"|everyone i (?:love|care about)"
        r"|the people i love)\b(?!\W+(?:about (?:the|my) (?:move|job|visa)|for (?:christmas|their birthday)"
        r"))",
        "letters or videos left for family",
        veto=rf"{ORDINARY_LEAVING_EN}|\b(?:christmas|birthday|anniversary|thank-you cards?|postcards?|visa|g"
        rf"rant"
        r"|recipe|card|gift)\b",
    ),
    rule(
        "en.letters_each",
        FW,
        r"\b(?:letters|notes|videos|messages)\b[^\n]{0,20}\bone for (?:my )?(?:mum|mom|dad|mother|father|par"
        r"ents"
        r"|sister|brother|partner|wife|husband)\b"
        r"|\b(?:note|letter)\b[^.!?\n]{0,40}\bfor whoever finds (?:it|this|me)\b"
        r"|\b(?:these are|here are|this is) my (?:last|final) words\b"
        r"|\b(?:said|saying|say)(?: my)? (?:bye|goodbyes?) to (?:everyone|everybody|people|all the people)"
        r" in my life\b",
        "letters for each of the family, a note for whoever finds it, last words, goodbyes to everyone",
        veto=rf"{ORDINARY_LEAVING_EN}|\b(?:christmas|birthday|anniversary|recommendation|reference|cover)\b",
    ),
    rule(
        "en.said_goodbyes",
        FW,
        r"\b(?:said|saying|say) (?:all )?my goodbyes\b(?! to (?:the|my (?:old|grandad|grandpa|grandma|cat|d"
        r"og|parents)))"
        r"|\b(?:said|saying|say) goodbyes? to (?:people|everyone|the people|all of you|my family|friends)\b"
        r"|\bmade (?:my )?p"
        r"eace\b|\bat peace with (?:it|my decision|everything)\b"
        r"|\b(?:last|one more) time (?:to hear|i (?:will|would) hear|hearing) (?:her|his|their) voice\b"
        r"|\bhear (?:her|his|their|my \w+'s) voice one last time\b|\blike it was the last time\b",
        "quiet goodbyes and making peace",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.loose_ends",
        GA,
        r"\b(?:tying up|tie up|tied up) (?:all )?(?:the |my )?loose ends\b"
        r"|\b(?:getting|got|put|putting) my affairs in order\b"
        r"|\bso (?:nobody|no one|no-one) (?:has|needs|will have) to (?:sort|do|deal|clean|clear|find)\b"
        r"|\bwritten down (?:my )?passwords\b|\bwhere everything is\b|\bwhere (?:the|my) passwords are\b"
        r"|\b(?:left|leaving|written|wrote) instructions for\b"
        r"|\bnothing left to sort\b|\bgiven the rest away\b",
        "putting affairs in order for after",
        veto=PLAN_ORDINARY_EN,
    ),
    # --- giving possessions away ---
    rule(
        "en.will_not_need",
        GA,
        r"\b(?:will not|won't|am not going to|do not|don't|no longer) (?:be )?need(?:ing)? (?:it|them|this|"
        r"these"
        r"|those|any of (?:it|them|this)|anything(?: soon)?|my \w+|the \w+)\b"
        rf"(?!{_S}{{0,40}}\b(?:since|because|as i|now that|in|at|during|until|after i move|wait"
        r"|since the|for the|after the (?:exam|qual\w*|upgrade|move|submission|deadline|course|defen[cs]e)"
        r"|now that|(?:once|after) i (?:have|move|submit|finish|switch|upgrade|get|buy|graduate|defend|start"
        r")))"
        r"|\bwhere i am (?:going|headed|heading)\b"
        r"|\bcan have my\b[^.!?\n]{0,30}\bi will not be (?:playing|using|wearing|reading|riding|needing|list"
        r"ening to)\b"
        r"(?![^.!?\n]{0,30}\b(?:once|since|because|when|after|new one|until))"
        r"|\b(?:want|would like) (?:her|him|them|you) to have (?:it|them|this) (?:after|when i am gone)(?:[."
        r"!]|$)"
        r"|\bwho (?:should )?(?:gets?|will get) (?:my|what)\b|\blist of who gets\b"
        r"|\bwill not (?:be (?:around|here) to|need to) (?:use|water|wear|listen|play|read|feed|walk)\b"
        r"|\bwill not be (?:listening to|using|wearing|reading|playing|needing|riding|driving) (?:them|it|t"
        r"hese|those)"
        r"(?: again| anymore| any more)\b|\b(?:are|is) yours (?:if you want|now)\b"
        r"|\blabell?ed with (?:people's|their|everyone's|your) names\b"
        r"|\b(?:nobody|no one) will be (?:at my place|here|around|home|there) to\b"
        r"|\b(?:my (?:sister|brother|mum|mom|dad|parents|friend|roommate|partner)|[a-z]+) (?:gets|can have|"
        r"will get"
        r"|should get) (?:my|all my) (?:\w+ ){0,2}(?:and|,)\b(?![^.!?\n]{0,60}\b(?:since|because|when i|new"
        r" one|bought))"
        r"|\bnot (?:planning|going) (?:on|to) (?:seeing|see|make it to|be here for) (?:winter|summer|spring"
        rf"|christmas|my birthday|another|next)\b|\bwill not (?:mean|matter)\b{_S}{{0,10}}\b(?:soon|anyway)"
        r"|\bi will not see (?:winter|summer|spring|autumn|christmas|another|next|my birthday|the new year)\b"
        r"|\b(?:owner|someone|somebody|home|person) who (?:will|is going to) (?:still )?be (?:alive|around)\b"
        r"|\bknow what to do (?:with (?:them|it|everything) )?after(?:wards)?(?:[.!]|$)",
        "things given away because they will no longer be needed",
        veto=ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.giving_everything",
        GA,
        r"\b(?:giving|gave|give|handing|handed|getting rid of|sold|donat\w+) (?:away |out )?(?:all (?:of )?my"
        r" (?:things|stuff|belongings|possessions)|everything (?:i own|that is mine|i have)|my belongings"
        r"|all my (?:belongings|possessions))\b|\bfree to a good home: (?:all )?my (?:things|stuff)\b"
        r"|\bfound (?:new )?homes? for (?:my|the) (?:fish|cat|dog|pets?|plants)\b"
        r"|\bsigned my \w+ over\b|\btransferred (?:all )?my savings\b|\bselling everything i own\b"
        r"|\bno point (?:in )?keeping (?:it|them|any of it|anything)\b"
        r"|\bso (?:she|he|they|someone|you) can (?:finish|carry on|continue|take over)\b[^.!?\n]{0,30}\bwit"
        r"hout me\b"
        rf"|\bgave (?:my|away my) (?:\w+ ){{0,2}}(?:to|away)\b{_S}{{0,60}}\b(?:keep it forever|after me|not"
        rf" coming"
        r" back|it is not|it isn't|confused|could not tell|couldn't tell|only for a while)",
        "giving away belongings, pets or savings for good",
        veto=ORDINARY_LEAVING_EN,
    ),
    # --- burden ---
    rule(
        "en.burden_relief",
        BU,
        rf"\b{_PEOPLE}\b{_S}{{0,40}}\b(?:would|will|could|might)\b{_S}{{0,50}}\b(?:without me\b"
        rf"|if i\b{_S}{{0,25}}\b(?:{_ME_GONE}|stopped existing|disappeared|vanished|was not here"
        r"|was not around|was gone|were gone)|(?:be )?relieved\b|(?:get|have|find) (?:some )?peace\b"
        r"|(?:start|move on) (?:again|fresh))",
        "perceived burdensomeness: others relieved or better without the writer",
        veto=r"\bif i (?:called|visited|helped|came|worked|replied|wrote|went)\b",
    ),
    rule(
        "en.not_a_problem_long",
        BU,
        r"\bwill not be (?:bothering|troubling|bugging|annoying|burdening) (?:anyone|anybody|you|you all|ev"
        r"eryone)\b"
        r"|\b(?:will not|won't|will no longer|not going to) be (?:a|anyone's|your|their|everyone's|the)"
        r" (?:problem|burden|worry|trouble)\b"
        r"|\b(?:stop|stopped|stopping|tired of|sick of|done) (?:being )?(?:their|a|your|everyone's|the|anyo"
        r"ne's)"
        r" (?:problem|burden|thing (?:everyone|people) (?:has|have) to worry about)\b"
        rf"|\b(?:soon|then) (?:you|they|nobody|no one|everyone) (?:will not|won't|do not) have to\b"
        r"|\b(?:one less|no more) (?:headache|problem|burden|mouth to feed|worry)\b"
        rf"|\b(?:kindest|best) thing (?:i (?:can|could) do|for (?:everyone|them|all of you))\b{_S}{{0,30}}\b"
        rf"(?:remove"
        r"|gone|not here|leave|disappear|if i)"
        r"|\bremove myself from\b|\bdrag(?:ging)? (?:everyone|them|you all|it|the \w+) down\b"
        r"|\b(?:just |only )?(?:a )?weight (?:on|for) (?:everyone|everybody|them|you all|all of you)\b"
        r"|\bone less (?:\w+ ){0,2}to (?:carry|clean up|worry about|deal with|look after|feed|support)\b"
        rf"|\b(?:removing myself|me (?:being )?gone|disappearing)\b{_S}{{0,40}}\b(?:kindest|best|right) thin"
        rf"g\b"
        r"|\b(?:be|being) a burden (?:on|to|for) (?:anyone|anybody|everyone|you|them)\b[^.!?\n]{0,20}"
        r"\b(?:much longer|for long|anymore|any more|soon)\b"
        rf"|\b(?:i am|i feel like|i feel) (?:just |only )?(?:a drain|dead weight|a waste of space|a weight"
        r"|nothing but (?:a )?(?:burden|problem|weight|drain|disappointment|waste|cost|trouble|pain)|the rea"
        r"son (?:my|everyon"
        r"e))"
        r"|\bmy \w+ deserves? (?:someone|somebody|better|a \w+) who (?:is not|isn't) (?:a )?(?:permanent |co"
        r"nstant )?"
        r"(?:problem|burden|mess)\b"
        r"|\bdeserve better than (?:having to )?(?:carry|deal with|look after|put up with|worry about) me\b"
        r"|\b(?:only|just|always) bring (?:everyone|people|them|you all|everybody) down\b"
        r"|\b(?:it would be|it'd be|would be) (?:a )?(?:relief|easier|better|kinder|mercy) (?:for (?:them|ev"
        r"eryon"
        r"e|you all"
        r"|my \w+) )?if i (?:was|were|am) (?:gone|dead|not (?:here|around))"
        r"|\b(?:nobody|no one) will (?:have|need) to (?:put up with|deal with|worry about|look after|carry)"
        r" me\b"
        r"|\b(?:nobody|no one|you|everyone) (?:needs|need|has|have|will have) to worry (?:about me )?(?:any"
        r"more|any"
        r" more|ever again)\b"
        r"|\bmy existence is a (?:weight|burden)\b|\btaking up space\b|\bthe world (?:works|would be|is)"
        rf" (?:better|a better place) without me\b|\bremoving me\b|\bbetter (?:for (?:all of you|everyone))"
        rf"? if"
        rf" i (?:vanished|disappeared|was gone)\b|\b(?:have|had) to (?:cover for|deal with|put up with|tiptoe"
        rf" around) (?:me|my mess)\b{_S}{{0,40}}\b(?:if i|anymore|for long|much longer|gone|dead)",
        "feeling a burden and that it will soon stop",
        negatable=False,
    ),
    # --- means ---
    rule(
        "en.means_amount",
        MP,
        r"\bhow (?:much|many)\b[^.!?\n]{0,30}\b(?:pills|tablets|meds|medication|prescription|paracetamol"
        r"|tylenol|insulin|painkillers|antidepressants|sleeping)\b"
        r"|\b(?:pills|tablets|meds|medication|sleeping tablets|sleeping pills|antidepressants|insulin)\b"
        r"[^.!?\n]{0,40}\b(?:would (?:take|be enough|do it|work)|it would take|enough now|counted|in my (?:"
        r"bag|drawer"
        r"|pocket)|lethal|at once|all of them|instead of taking|it is enough|it's enough|enough to)\b"
        r"|\benough of my (?:pills|tablets|meds|painkillers|sleeping pills|medication|prescription)\b"
        r"|安眠药[^.!?\n]{0,20}\b(?:saved up|stockpil\w*|enough)\b"
        r"|\b(?:pills|tablets|meds|painkillers|medication)\b[^.!?\n]{0,15}\bhidden (?:away|in)\b"
        r"|\benough (?:pills|tablets|meds|painkillers|sleeping pills)\b(?! for (?:the|a|my) (?:trip|week|ho"
        r"liday|flight))"
        r"|\b(?:a )?(?:stash|supply|stockpile|hoard|bottle|box) of (?:my )?(?:pills|tablets|meds|painkillers"
        r"|sleeping pills)\b"
        r"|\b(?:collecting|saving|saving up|stockpiling|hoarding|stashing|counting)\b[^.!?\n]{0,20}"
        r"\b(?:pills|tablets|meds|medication|antidepressants|insulin|painkillers|prescriptions?|paracetamol)"
        r"\b"
        r"|\b(?:lethal|fatal|deadly) (?:dose|amount)|\bhow much \w+ is (?:lethal|fatal|deadly)\b"
        r"|\bso (?:nobody|no one) would notice how many\b|\bwhat a big dose does\b",
        "gathering or measuring medication",
        veto=rf"{TOPIC_TALK_EN}|\b(?:as directed|jet lag|(?:my|the) doctor (?:said|put|told)|for the trip|a "
        rf"spare)\b",
    ),
    rule(
        "en.means_height",
        MP,
        r"\b(?:bridges?|overpass(?:es)?|roofs?|rooftop|top (?:floor|level|deck)|car parks?|parking garages?"
        r"|multi-storey|tallest building"
        r"|highest (?:building|floor|point)|ledge|cliff|tracks|express|river|building on campus)\b"
        r"[^.!?\n]{0,60}\b(?:high enough|how high|is enough|it's enough|no barriers?|without barriers?"
        r"|no (?:fence|railing)s?|without (?:a )?(?:fence|railing)s?"
        r"|(?:do not|don't|does not|doesn't) (?:have (?:barriers|a fence)|stop)|roof access|no one checks"
        r"|how easy it would be"
        r"|nobody checks|just to see|just look|working up to|current is strongest|what i want it for"
        r"|looking down|staring down)\b"
        r"|\b(?:standing|stood|stand) (?:on|at) (?:the )?(?:edge|roof|ledge|top|bridge|overpass|platform ed"
        r"ge)\b[^.!?\n]{0,40}"
        r"\b(?:nights?|working up|thinking|again|every|lately|staring down|looking down)\b"
        r"|\b(?:train times|timetable)\b[^.!?\n]{0,40}\b(?:level )?crossing\b"
        r"|\b(?:bridge|roof|rooftop|ledge|overpass)\b[^.!?\n]{0,40}\b(?:if|whether) there(?:'s| is) a (?:bar"
        r"rier|fence|railing)\b"
        r"|\b(?:roof|rooftop|天台|楼顶|顶楼)\b[^.!?\n]{0,30}\bhow high\b"
        r"|\b(?:checked|checking|looked up|looking up|looked at|found)\b[^.!?\n]{0,25}\b(?:height of the br"
        r"idge"
        r"|which (?:bridges?|overpass(?:es)?|buildings?)|the tallest|the spot by the river|the train timeta"
        r"ble)\b"
        r"|\bspare key to the (?:lab )?roof\b",
        "checking heights, bridges or tracks",
        veto=rf"{TOPIC_TALK_EN}|{_HOBBY_EN}",
    ),
    rule(
        "en.means_search",
        MP,
        r"\b(?:research\w*|look(?:ed|ing)? up|googl\w*|search\w*|read(?:ing)? (?:about|forums|up on)|forums "
        r"about"
        r"|look(?:ing)? into|found out)\b[^.!?\n]{0,40}\b(?:(?:fastest|quickest|easiest|best|surest|simples"
        r"t) ways? to (?:die|go|end it|kill myself)|painless ways?|painless|methods?\b|ways to (?:g"
        r"o|die)"
        r"|how long it takes to (?:bleed|die|drown|suffocate|overdose|lose consciousness|pass out)|bleed out"
        r"|(?:a way|how) to get (?:a "
        r"|hold of a )?"
        r"(?:gun|firearm|rifle|pistol)|(?:whether|if) it would hurt|would it hurt|how to get a gun"
        r"|what happens if (?:you|i) mix|lethal|on purpose|how (?:far|high)\b[^.!?\n]{0,30}\b(?:fall|drop|j"
        r"ump)"
        r"|to not survive|would (?:be )?(?:fatal|kill))"
        r"|\bi keep (?:looking up|googling|searching) (?:whether|if) it would hurt\b"
        r"|\b(?:looked up|look up|googled|searched|read up on) how to do it\b[^.!?\n]{0,20}\b(?:not|never) h"
        r"urt"
        r"|\b(?:i have|i have got|i got|i now have) the means\b|\bhave the means now\b"
        r"|\bfound (?:a|one|the) (?:method|way) that (?:works|will work)\b|\bfound one that works\b"
        r"|\bfound (?:a way|how|out how) to get (?:a |hold of a )?(?:gun|firearm|pistol|rifle)\b"
        r"|\b(?:ordered|bought|got)\b[^\n]{0,60}\b(?:should not have|shouldn't have)\b[^\n]{0,60}"
        r"\byou know (?:what i mean|why)\b",
        "looking up methods or holding the means",
        veto=(
            r"\b(?:classifiers?|datasets?|models?|papers?|prompts?|red ?team\w*|annotat\w*|moderat\w*"
            r"|prevention|eval\w*|benchmark\w*|survey|polic(?:y|ies)|guidelines?|lecture|talk on|training"
            r"|faster|precision|jab|vaccin\w*|injection|tattoo|piercing|blood test|waxing)\b"
        ),
    ),
    rule(
        "en.means_chemical",
        MP,
        r"\b(?:azide|cyanide|arsenic|strychnine|potassium chloride|barbiturates?|nitrogen tank)\b[^\n]{0,60}"
        r"\b(?:took (?:it|some|a bottle|them) home|in my (?:bag|room|drawer|pocket|flat)|on purpose|enough to"
        r"|how much (?:it|i) would)\b"
        r"|\btook (?:it|some|a bottle) home on purpose\b",
        "lab poisons taken home",
        veto=rf"{TOPIC_TALK_EN}|\b(?:waste|disposal|dispose|protocol|training|safety|inventory|fume hood|spi"
        rf"ll)\b",
    ),
    rule(
        "en.means_charcoal",
        MP,
        r"\bcharcoal\b[^.!?\n]{0,30}\b(?:tape|seal\w*|the door|gaps|not (?:planning|having|for) a (?:barbecu"
        r"e|bbq))\b",
        "charcoal with tape to seal a room, or with no barbecue",
        veto=rf"{TOPIC_TALK_EN}|\bfor (?:the|a|our) (?:barbecue|bbq|grill)\b"
        r"|\b(?:art|drawing|sketch\w*|class|filter|aquarium)\b",
    ),
    rule(
        "en.means_acquired",
        MP,
        r"\b(?:bought|buy|ordered|got|took|sharpened|keep|carry)\b[^.!?\n]{0,30}\b(?:rope|noose|gun|charcoal"
        r"|blade|razor|knife|pills|tape)\b[^.!?\n]{0,60}\b(?:no reason|not have a (?:barbecue|reason)"
        r"|shouldn't have|should not have|you know what i mean|you know why|under my pillow|just in case"
        r"|in case i decide|what i want it for|for myself|so i (?:would|will|could) have one)\b",
        "acquiring means with no ordinary reason",
        veto=rf"{TOPIC_TALK_EN}|{_HOBBY_EN}",
    ),
    rule(
        "en.said_and_known",
        FW,
        r"\b(?:said|told|say) (?:what|everything|all) i (?:needed|wanted|had) to (?:say|tell)\b"
        r"|\b(?:do not|don't) be (?:angry|mad|sad|upset) (?:with|at) me (?:when|once|after) (?:you|they|eve"
        r"ryone)"
        r" (?:find out|hear|see)\b"
        r"|\bso (?:someone|somebody|you all|you|everyone|people) (?:knows?|understands?)\b[^.!?\n]{0,40}"
        r"\b(?:was not|wasn't|is not|isn't|not) because of\b"
        r"|\b(?:updated|wrote|written|made|writing|finished|sorted) (?:out )?my will\b"
        r"|\bi need you to know (?:that )?before i go\b|\bbefore i go(?:[.!]|$)",
        "last words said, and affairs such as a will, with no ordinary reason",
        veto=r"\b(?:rebuttal|review|talk|meeting|email|paper|presentation|interview|lawyer|mortgage)\b"
        + "|"
        + ORDINARY_LEAVING_EN,
    ),
    rule(
        "en.the_day",
        MP,
        r"\b(?:tomorrow|tonight|today|sunday|monday|tuesday|wednesday|thursday|friday|saturday) is the (?:d"
        r"ay|night)\b"
        r"[^\n]{0,40}(?:\bi am ready\b|\bi'm ready\b|\bready\b|准备好)"
        r"|\b(?:chose|chosen|picked|found) the (?:place|spot) and the (?:time|day|date)\b"
        r"|\bi will fix (?:that|this|it) soon\b|\bbeing the reason (?:everyone|people|my \w+|they|you all)\b"
        r"|\b(?:collect\w*|saving|stockpil\w*|hoard\w*|stash\w*) (?:up )?(?:razor ?blades|razors|blades)\b"
        r"|\b(?:telling|told) (?:them|him|her|people|everyone) (?:it(?:'s| is)|that it(?:'s| is)) because\b",
        "a day or a place chosen, a pretext for giving things away, blades collected",
        veto=PLAN_ORDINARY_EN
        + r"|\b(?:defen[cs]e|exam|interview|talk|presentation|viva|race|launch|deadline|wedding|flight|dinner"
        r"|party|meeting|move|moving)\b",
    ),
    rule(
        "en.more_signs",
        SI,
        r"\btransferred (?:all )?my (?:money|savings|funds)\b(?! to my (?:savings|new|other|isa))"
        r"|\bclosed (?:all )?my (?:bank )?accounts\b"
        r"|\bruin(?:ing|s)? (?:everyone's|everybody's|their|people's|my family's) li(?:fe|ves)\b"
        r"|\bjust by (?:being (?:here|alive|in it|around)|existing)\b"
        r"|\b(?:up on|on|to) the (?:roof|rooftop|bridge|ledge)\b[^.!?\n]{0,30}\b(?:every night|every day|ag"
        r"ain"
        r"|lately|most nights|each night)\b"
        r"|\b(?:end it|do it|go through with it|end things)\b[^.!?\n]{0,60}\bso (?:i|it) (?:do not|does not"
        r"|don't"
        r"|won't|will not) ruin\b",
        "more warning signs: money moved and accounts closed, ruining lives by existing, nights on a roof,"
        " timing it so as not to ruin a holiday",
        veto=PLAN_ORDINARY_EN
        + r"|\b(?:meteor|stars|stargaz\w*|watching|view|sunset|telescope|repair\w*|bbq)\b",
    ),
    rule(
        "en.almost_did_it",
        SI,
        r"\bi (?:almost|nearly) did it\b|\bcame (?:so )?close to doing it\b"
        r"|\b(?:will not|do not think i will|not sure i (?:can|will)|cannot|could not) (?:be able to )?stop "
        r"myself"
        r"(?: (?:next time|this time|again|tonight))?(?:[.!]|$)",
        "an attempt nearly made ('I almost did it' after a night at the river)",
        veto=r"\b(?:marathon|race|finished|exam|passed|record|deadline|submit\w*|paper|run|personal best)\b",
    ),
    rule(
        "en.rehoming",
        GA,
        r"\b(?:needs?|find(?:ing)?) (?:a )?new (?:home|owner)s?\b[^\n]{0,80}\b(?:will not be able to|cannot"
        r" look after"
        r" (?:her|him|them|it) (?:anymore|any more)|will not be (?:around|here))",
        "rehoming a pet because the writer will not be able to look after it",
        veto=r"\b(?:because|since|landlord|moving|allerg\w*|new flat|allow\w*|visa|abroad)\b",
    ),
    rule(
        "en.carrying_means",
        MP,
        r"\b(?:carry|carrying|keep|keeping|started carrying)\b[^.!?\n]{0,10}\b(?:the|my|those|that|a) (?:pi"
        r"lls|tablets"
        r"|blade|razor|knife|rope)\b[^.!?\n]{0,20}\b(?:with me|on me|everywhere|just in case)\b"
        r"|\b(?:tracks|bridge|roof|river|edge|water|ledge|train|cliff)\b[^.!?\n]{0,30}\b(?:keeps? calling|c"
        r"alling"
        r" (?:to )?me|pulls? me|draws? me|calls? (?:to )?me)\b",
        "carrying means around, or a place that 'keeps calling'",
        veto=r"\b(?:doctor|prescribed|migraine|allerg\w*|as directed|camping|fishing|kitchen|hike)\b",
    ),
    # --- plan, timeline, sudden calm, apologising in advance ---
    rule(
        "en.decided",
        MP,
        r"\bi (?:have )?(?:decided|made (?:up )?my mind|made the decision|made my decision|chosen|picked"
        r" (?:a|the) (?:date|day|way)|set the date|finally know (?:how|when)|know (?:how and when|when and "
        r"how"
        r"|exactly (?:how|when|where)))(?:[.!,]|$| and (?:i am|i feel|that|it)|\. (?:after|once|when))"
        r"|\b(?:since|now that|after) i (?:have )?(?:decided|made (?:the|my) decision|made up my mind|chose"
        r")\b"
        r"|\bi have (?:a|my) plan(?: now)?(?:[.!,]|$| and (?:everything|the means|i))"
        r"|\bi know (?:where|how|when) i (?:would|will|am going to) do it\b"
        r"|\b(?:planned|worked out|figured out) (?:exactly )?(?:how|when|where) (?:i am going to|i will|i w"
        r"ould|to)"
        r" do it\b|\b(?:i am|i'm) done[.,!]? (?:with )?everything(?:[.!]|$)"
        r"|\bit(?:'s| is) decided[.,!]? (?:this|tonight|tomorrow|on|next|after|sunday|saturday|friday)\b"
        r"|\b(?:got|have) (?:it )?(?:all )?(?:worked out|figured out|planned)(?:[.!]|$)"
        r"|\bi have (?:arranged|planned) (?:everything|it) for\b|\beverything(?:'s| is) (?:arranged|in place"
        r"|set|sorted|in order)(?:[.!]| by then)|\bit(?:'s| is) all (?:set|arranged|planned)\b"
        r"|\bi (?:have )?set a date\b"
        r"|\b(?:planned|worked out|figured out) (?:it )?(?:all )?(?:out)?[^.!?\n]{0,10}\b(?:where and when"
        r"|when and where|how and when|when and how)\b"
        r"|\b(?:decided|know|made up my mind)\b[^.!?\n]{0,20}\b(?:will|is going to) be (?:the|my) last"
        r"(?: one)?(?:[.!]|$)",
        "a decision or a plan announced without an ordinary object",
        veto=rf"{PLAN_ORDINARY_EN}|\b(?:decided to (?:switch|leave|apply|go|take|move|change|try|quit the"
        r" phd)|applying|supervisors?|industry|diet|menu|paper|thesis topic)\b",
    ),
    rule(
        "en.timeline",
        MP,
        r"\b(?:i am|i will be|i will) (?:doing|do) it (?:tonight|today"
        r"|tomorrow|this (?:week|weekend)|on (?:\w+day|the \d+\w*)|when|after|once|before|soon)\b"
        r"|\btonight(?:'s| is) the night\b|\bit(?:'s| is) happening soon\b"
        r"|\bit (?:will|is going to) (?:all )?be over (?:soon|by)\b|\bknow it will be over soon\b"
        r"|\bi will be gone by\b|\b(?:end|ending) things\b(?! with)|\bthat is it,? i am (?:done|going)\b"
        r"|\bi am (?:done|doing it)(?: for good)?(?:\. everything|\.$|$)"
        r"|\b(?:it is|it's) over for me\b|\bi am going to do it (?:when|after|once|before|this|tonight|on)\b"
        r"|\bwaiting for (?:sunday|saturday|monday|friday|the day|the date)\b"
        r"|\b(?:just )?waiting for the right (?:night|moment|day|time)(?:[.!]|$)"
        r"|\b(?:after|once|when)\b[^.!?\n]{0,40}\b(?:i am|i will be|it is|it's) (?:done|over|gone)(?: for m"
        r"e)?[.!]"
        r"|\bcalendar\b[^\n]{0,30}\b(?:saturday|sunday|monday|tuesday|wednesday|thursday|friday)\b"
        r"|\b(?:after|once|when)\b[^.!?\n]{0,40}\bi am (?:doing|going to do) it\b"
        r"|(?:今晚|今天晚上|\btonight)\s?(?:i )?(?:might|will|am going to|going to) do it\b",
        "a timeline: doing it on a date or after an event",
        veto=(
            rf"{PLAN_ORDINARY_EN}|\b(?:clean\w*|kitchen|groceries|shopping|taxes|paperwork|repairs|painting"
            r"|diet|laundry|presentation|the talk|slides|experiments?|paper|the"
            rf"sis"
            r" (?:draft|chapter)|hotpot|cake|karaoke|the (?:run|sweep|job|meeting))\b"
        ),
    ),
    rule(
        "en.go_through_with_it",
        MP,
        r"\bgo(?:ing|es)? through with it\b|\b(?:i am|i'm) done[.,!]? (?:with )?everything(?:[.!]|$)|\btoni"
        r"ght(?:'s| is) the night\b|\bit(?:'s| is) happening soon\b",
        "going through with it",
        veto=PLAN_ORDINARY_EN,
    ),
    rule(
        "en.sorry_in_advance",
        MP,
        r"\b(?:sorry|apologi[sz]\w*|forgive me)\b[^.!?\n]{0,20}\b(?:in advance|now)\b(?! for (?:the|my|all "
        r"the"
        r"|any|this|spamming|pinging|the long))"
        r"|\b(?:sorry|apologi[sz]\w*|forgive me)\b[^.!?\n]{0,30}\bfor what (?:i am (?:about|going) to do"
        r"|is (?:about|going) to happen|happens next|i will do|comes next|i have to do|i am going to do)"
        r"|\bsorry to everyone i am (?:about|going) to hurt\b|\bwill not get the chance later\b",
        "apologising in advance for what is about to happen",
        veto=(
            r"\b(?:emails?|messages?|posts?|wall of text|long|spam\w*|typos?|noise|rant|singing|karaoke|qu"
            r"estions?"
            r"|ping\w*|mess|delay|late)\b|邮件|很长"
        ),
    ),
    rule(
        "en.leave_behind",
        MP,
        r"\b(?:sorry|apologi[sz]\w*|forgive me)\b[^.!?\n]{0,30}\b(?:mess|pain|hurt)\b[^.!?\n]{0,10}\bi am"
        r" (?:going to|about to) leave (?:you|behind|everyone)\b",
        "apologising in advance for what the writer will leave behind",
        veto=rf"{ORDINARY_LEAVING_EN}|{PLAN_ORDINARY_EN}|\b(?:desk|code|repo|codebase|docs|office|bench)\b",
    ),
    rule(
        "en.sudden_calm",
        MP,
        r"\b(?:calm|peace|peaceful|lighter|relief|relieved|quiet|not sad anymore|happier lately|seem happier)"
        r"\b[^.!?\n]{0,60}\b(?:decided|decision|made up my mind|chosen a way|chose|over soon|it will be over"
        r"|a day for it|know how|know when(?:[.!]|$))"
        r"|\b(?:decided|decision|made up my mind)\b[^.!?\n]{0,60}\b(?:calm|lighter|peace|relief|quiet)\b",
        "sudden calm after deciding",
        veto=rf"{PLAN_ORDINARY_EN}|\b(?:paper|rejection|submission|thesis|switch|supervisor|job|industry"
        r"|academia|leave|leaving)\b",
    ),
    # --- passive ideation ---
    rule(
        "en.hope_not_wake",
        PI,
        r"\b(?:hopes?|hoping|prays?|praying|wish|wishes|wishing|would be nice)\b[^.!?\n]{0,50}\b(?:(?:will "
        r"not|do not|"
        r"does"
        r" not|not|never) (?:wake|make it to (?:the )?morning|make it through (?:the|this) (?:night|week)|s"
        r"urvive"
        r"|see (?:the )?(?:morning|tomorrow))"
        r"|stay (?:that way|asleep)|(?:the )?last time i (?:go to sleep|close my eyes)|for good"
        r"|(?:the )?plane (?:goes down|crashes|would (?:just )?(?:crash|go down))"
        r"|(?:make it to|see|survive) (?:the )?(?:next (?:year|month|week|spring|summer|winter)|christmas"
        r"|my (?:next )?birthday)|(?:car|bus|train) (?:hits|does not stop|will not stop)"
        r"|(?:get|got|be|am) hit by a (?:car|bus|train|truck)"
        r"|something terminal)\b"
        r"|\bnever wake up again\b|\bwould be (?:okay|ok|fine) if i never woke\b",
        "hoping not to wake up or survive",
    ),
    rule(
        "en.would_not_mind",
        PI,
        r"\b(?:would not|wouldn't|do not|don't|will not) (?:mind|care|fight it)\b[^.!?\n]{0,40}\b(?:hit me|"
        r"hits me"
        r"|died|dying|dead|wake|waking|woke|survive|got (?:hit|really sick)|did not (?:survive|make it))\b"
        r"|\b(?:be|feel|i would be|i'd be) (?:relieved|fine|okay|ok|glad) (?:with not being here|if (?:i|a "
        r"\w+)"
        r"\b[^.!?\n]{0,20}\b(?:hit|died|never|did not survive|did not wake|do not wake|never woke))"
        r"|\bif (?:something|anything) (?:bad )?(?:happened|happens|were to happen) to me\b[^\n]{0,60}\b(?:"
        r"welcome it"
        r"|would not mind|relieved|would not be sad|fine with it|okay with it)"
        r"|\b(?:do not|don't) care (?:if|whether) i (?:live|die|am alive|wake up)\b"
        r"|\bif (?:a|the) (?:bus|car|train|truck|lorry) (?:hit|hits|ran over|runs over) me\b[^.!?\n]{0,40}"
        r"\b(?:would not mind|would not care|relieved|fine with|okay with|welcome it)\b"
        r"|\b(?:would|'d) rather (?:be dead|die|not (?:be alive|exist|be here))\b(?= than (?:keep|go on|fee"
        r"l|live|continue"
        r"|wake|be|face)\b|[.!]|$)"
        r"|\bdisappointed (?:that )?(?:i )?(?:woke|wake|to wake) up\b|\bdisappointed to wake\b"
        r"|\b(?:easier|better|nicer|simpler) (?:to not|not to) (?:be alive|exist|be here|wake up)\b"
        r"|\bjust stop\b[^\n]{0,30}\b(?:permanently|forever|for good)\b"
        r"|\bi would let it happen\b|\bwelcome death\b|\bdeath (?:sounds|seems|feels) (?:peaceful|nice|good"
        r"|like relief)\b|\bwould(?: not|n't) mind if i (?:did not|didn't) (?:survive|make it|wake)\b",
        "welcoming death passively",
    ),
    rule(
        "en.stop_existing",
        PI,
        r"\b(?:stop|stopped|quit|cease) (?:existing|being alive|being(?=[.,!]| stop| and|$))"
        r"|\b(?:just |quietly )?(?:not exist|fade (?:out|away)|disappear and never)\b"
        r"(?! for (?:\w+ ){0,2}(?:hours|days|a while|the weekend|a week))"
        r"|\b(?:tired|sick|so sick|so tired) of (?:being alive|existing)\b"
        r"|\bfantasi[sz]e about not (?:existing|being)\b|\bnot (?:dying|die) exactly\b"
        r"|\bskip the rest of my life\b|\b(?:rather|prefer) not (?:be|exist) (?:here )?at all\b"
        r"|\bcannot picture (?:being alive|myself alive|a future|myself in)\b|\bdo not see a future for mys"
        r"elf\b"
        r"|\bno reason (?:for me )?to keep going\b|\bwaiting (?:for it|for life|to be over)\b"
        r"|\bsomething i am waiting to be over\b|\btoo tired to do anything about it\b"
        r"|\bonly still here because\b|\bcross the road\b[^.!?\n]{0,40}\bhope\b",
        "wishing to stop existing",
    ),
    # --- self-harm ---
    rule(
        "en.self_harm_intent",
        SH,
        r"\b(?:cut|cutting|burn(?:ing|ed|t)?|scratch\w*|hit(?:ting)?|bang(?:ing|ed)?|slam\w*|punch\w*|bit|b"
        r"ite|biting|carv\w+|scald"
        r"\w*"
        r"|starv\w+|dig(?:ging)?|dug|hurt(?:ing)?|harm(?:ing)?|bruis\w+)\b[^.!?\n]{0,32}"
        r"\b(?:myself|my (?:arms?|wrists?|thighs?|legs?|skin|hands?|head|knuckles|stomach|hips?))\b"
        r"[^.!?\n]{0,50}\b(?:on purpose|until (?:it|they|i) (?:bled|bleed|went quiet|stop|hurts?"
        r"|(?:could not|cannot|can't) (?:think|feel|breathe)|split)|bled|bloo"
        r"d|to feel"
        r"|so i (?:would not|wouldn't|do not|could)|punish\w*|deserve|relapse\w*|cannot stop|urge"
        r"|(?:was|is) not an accident|every time|when (?:it gets|i make)|the only (?:way|thing)|cop(?:e|ing)"
        r"|again|mistakes|too loud|i know it is not normal)\b"
        r"|\b(?:hurting|harming|cutting|burning|hitting|starving) myself\b(?! (?:with (?:work|coffee)|out))",
        "hurting oneself on purpose",
        veto=r"\b(?:gym|playing|lifting|running|skiing|climbing|cycling|cooking|shaving|slipped|tripped|fell"
        r"|falling|football|soccer|basketball|kitchen|slice|slack|oven|tray)\b|(?<!not an )\baccident(?:all"
        r"y)?\b",
    ),
    rule(
        "en.self_harm_signs",
        SH,
        r"\b(?:relapsed?|relapsing)\b[^\n]{0,80}\b(?:blood|cut|cuts|sh|clean|sleeve|deep|bleeding)\b"
        r"|\b(?:nobody knows|no one knows|hide|hiding|hid)\b[^.!?\n]{0,30}\b(?:scars|cuts|marks|wounds)\b"
        r"|\bsh (?:relapse|again|tonight|urges?)\b|\bself[- ]?harm(?:ing|ed)?\b[^.!?\n]{0,20}\b(?:again|is "
        r"the only)"
        r"|\b(?:scars?|cuts|marks|wounds|bruises)\b[^.!?\n]{0,40}\b(?:arms?|wrists?|thighs?|skin|sleeves?"
        r"|nobody knows|hid\w*|adding more|watch strap|since)\b"
        r"|\b(?:long sleeves)\b[^.!?\n]{0,40}\b(?:arms?|what i did|because)\b"
        r"|\b(?:blade|razor|scalpel)\b[^.!?\n]{0,40}\b(?:myself|pencil case|bad days|so i would have|arm|sk"
        r"in)\b"
        r"|\bclean for \d+ (?:days|weeks|months)\b[^.!?\n]{0,30}\b(?:ruined|broke|lost|relapse|until)\b"
        r"|\bbandaged my (?:arm|wrist|leg)\b|\bpulled out the stitches myself\b"
        r"|\bcut again\b|\bi deserve the pain\b|\burges? to (?:cut|hurt|burn)\b|\bthe urge to cut\b"
        r"|\bgive it to myself\b|\b(?:been|started|keep) cutting\b|又 ?cut\b"
        r"|\b(?:cutting|self ?harm\w*|hurting myself) (?:helps me|calms me|is how i cope|makes (?:it|the \w+"
        r") stop)\b"
        r"|\b(?:the only thing that (?:helps|works)|only way i can cope) is (?:cutting|hurting myself|burni"
        r"ng myself"
        r"|self[- ]?harm\w*)\b",
        "signs of self-harm: relapse, scars, blades, hiding wounds",
        veto=rf"{TOPIC_TALK_EN}|\b(?:recovery)\b",
    ),
    # --- slang and evasions ---
    rule(
        "en.kys_self",
        SI,
        r"\b(?:about to|going to|want to|wanna|might|might just|might as well|ima|i am going to|i will|read"
        r"y to"
        r"|close to|gonna|just|finna|should|i)\b(?: just| really| literally| actually| go| so| finally)*"
        r" (?:kys|kms|k y s|k m s)\b"
        r"|\bkms(?:ing|ed)\b|\bkys (?:fr|for real|tonight|rn|right now)\b"
        r"|(?:想|要|打算|准备) ?(?:kys|kms|unalive|sewer ?slide)|就 ?end (?:it|things|my life)\b",
        "self-directed kys/kms ('lol kys' at someone else is abuse, not this)",
    ),
    rule(
        "en.slang_evasions",
        SI,
        r"\b(?:un ?aliv\w*|selfunaliv\w*|sewer ?slide\w*|s3wer ?slide|toaster bath|self[- ]?delet\w*|the big"
        r" sleep"
        r"|commit (?:die|toaster bath|sewer ?slide)|ctrl ?\+? ?alt ?\+? ?del(?:ete)? (?:myself|me|my life)"
        r"|committing (?:die|sudoku|toaster bath|sewer ?slide)|commit sudoku"
        r"|log(?:ged|ging)? off (?:from|of) (?:life|existence)|uninstall (?:myself|my life|life))\b",
        "evasive slang for suicide (unalive, sewerslide, self-delete, toaster bath)",
        veto=TOPIC_TALK_EN,
    ),
    rule(
        "en.catch_the_bus",
        SI,
        r"\bcatch the bus\b[^\n]{0,40}\b(?:you know (?:the one|what i mean)|want to catch it|for good)\b",
        "'catch the bus' slang, with the wink that marks it",
    ),
    # --- euphemisms for dying or leaving the world ---
    rule(
        "en.euphemism",
        SI,
        r"\bcheck(?:ed|ing|s)? out (?:of life|for good|permanently|early|of (?:this|the) world)\b"
        r"|\b(?:go to sleep|fall asleep|sleep) and (?:not|never) (?:have to )?(?:come back|wake)\b"
        r"|\b(?:go|be) (?:somewhere|where|to a place where|to the place where) (?:nothing|it does not|nobod"
        r"y can"
        r"|no one can) (?:hurts?|hurt)\b"
        r"|\bgo be with (?:my )?\w+\b|\bready to join (?:him|her|them)\b"
        r"|\b(?:going to|want to|will|ready to|about to) join (?:my (?:mum|mom|dad|mother|father|grandma|gr"
        r"andpa|nan"
        r"|brother|sister)|him|her|them)\b[^.!?\n]{0,20}\b(?:soon|in heaven|up there|again|where)|\bgo wher"
        r"e (?:she|he|they) (?:is|a"
        r"re)\b"
        r"|\b(?:do not|don't|not) plan(?:ning)? (?:on|to) (?:being here|be here|seeing|being around|see) (?"
        r":next"
        r" (?:month|week|year)|\d+|another|the)\b|\bnot (?:going|planning) to make it to\b"
        r"|\bmake my exit\b|\b(?:leave|leaving) this world\b|\bsomewhere (?:nobody|no one) can hurt me\b"
        r"|\bsomewhere i (?:will not|cannot|won't) come back from\b|\bmy time to go\b"
        r"|\b(?:rest|sleep) forever\b|\beternal (?:rest|sleep)\b|\bgo home\b[^.!?\n]{0,40}\bthe other one\b"
        r"|\bwant out\b[^\n]{0,30}\b(?:permanently|for good|of everything|of life)\b"
        r"|\b(?:do not|don't) think i will be (?:around|here) for\b|\bend my story\b"
        r"|\blong walk off (?:a|the) short pier\b|\bpermanent (?:one|exit|solution|way out)\b"
        r"|\bmeet my maker\b|\bmy last (?:winter|christmas|summer|spring|birthday)\b"
        r"|\bgo dark and stay dark\b|\b(?:soon|finally) i will (?:finally )?be at peace\b(?! with)"
        r"|\bi will (?:soon|finally) be at peace\b(?! with)|\b(?:had|have had) enough of (?:this world|life"
        r"|living|existing|being "
        r"alive)\b|\bnot going to make it to (?:graduation|the end)\b"
        r"|\bwill not have to deal with any of this (?:much )?longer\b"
        r"|\b(?:sleep|asleep)\b[^.!?\n]{0,20}\b(?:permanently|forever|for good)\b|\bquiet forever\b"
        r"|\b(?:ready to|want to|going to|about to) (?:join|be with) (?:my )?(?:late )?(?:grand\w*|nan|gran|"
        r"mum|mom"
        r"|dad|mother|father|brother|sister)\b[^\n]{0,40}\b(?:where (?:he|she|they) (?:is|are)|miss (?:him|h"
        r"er|them)"
        r"|soon|again|in heaven|up there)\b"
        r"|\bthe end\b[^.!?\n]{0,40}\bbring it (?:closer|sooner|forward)\b"
        r"|\b(?:take|taking|took|remove|removing) myself out of (?:the picture|the equation|this world|exist"
        r"ence)\b"
        r"|\bpermanent (?:rest|sleep)\b|\b(?:kind|sleep|rest) you (?:do not|never) wake up from\b"
        r"|\bbe (?:with|among) the stars\b|\bclock(?:ed|ing)? out of life\b(?! admin| stuff| for)"
        r"|\bswitch(?:ing)? myself off (?:permanently|for good|forever)\b"
        r"|\bcash in my chips\b|\bdone with this life\b(?! of)|\bgo where my \w+ went\b"
        r"|\bfree of (?:all )?(?:this|it) (?:for good|forever|permanently)\b|\breunited with my (?:late )?\w"
        r"+ soon\b"
        r"|\bsleep for a (?:very )?long time\b[^\n]{0,20}\bforever\b"
        r"|\bplan(?:ning|ned)? my (?:exit|way out)\b(?! (?:from|of) (?:the |this )?(?:lab|academia|phd|job|c"
        r"ompany"
        r"|industry|group|programme|program|field))",
        "euphemisms for dying",
        veto=rf"{TOPIC_TALK_EN}|\bafter this week\b|\b(?:home|bed) and sleep for\b",
    ),
)


# Warning signs that need two kinds of cue in one share.
_GOODBYE_EN = (
    r"\b(?:goodbye|good bye|bye|farewell|thank you|thanks|i love you|love you (?:all|guys)|take care"
    r"|look after my|you (?:are|were) (?:all )?(?:wonderful|the best|great|amazing|good friends)"
    r"|have (?:good|happy|a good) lives?|be happy|you (?:all )?(?:mattered|meant (?:so much|a lot|everythin"
    r"g))"
    r"|remember (?:me|the good (?:stuff|times|things|parts))|been so kind|(?:so |all )?kind to me"
    r"|thanking (?:everyone|everybody|you all|all of you)|thanks for the good (?:parts|times|bits))\b"
)
_FINAL_EN = (
    r"\b(?:for good|for real this time|done fighting|done trying|(?:mine|my life) is over|over soon"
    r"|could have stayed|cannot stay|after tonight|that is why|that's why|the end\b(?! of (?:the|this|my) ("
    r"?:week"
    r"|month|year|term|semester|day))|best part of a (?:bad|sad|hard|short) life|i mean everything"
    r"|look after my (?:cat|dog|plants|fish|rabbit)|take care of each other|bearable"
    r"|the last thing i|one last|whatever happens (?:next|now|tonight|to me)|the last time i will be (?:on "
    r")?here|sorry (?:it|i) (?:was not|wasn't) enough|for whoever finds (?:it|this|me)|"
    r"it(?:'s|'s been| is| has been) an honou?r(?:[.!]|$)|before i go(?:[.!]|$)|"
    r"remember"
    r" (?:me|the good (?:stuff|times|things|parts)"
    r")|(?:the )?last time ("
    r"?:you|anyone) (?:will )?(?:hear|see)|could not be stronger|sorry i"
    r" (?:could not|cannot|was not) (?:be )?(?:stronger|better|enough)|this is (?:my )?goodbye|last (?:mess"
    r"age|post|share)(?! (?:before|until|for|of|in|on|about) ))\b"
    r"|\b(?:while i (?:still )?can|now i can (?:finally )?rest|i can finally rest|so this is it)(?:[.!,]|$)"
    r"|\bfor however long (?:that is|i have|i am here)\b|\bfinal (?:post|message) from me[.!]"
    r"|\b(?:the last you will (?:ever )?hear from me|before it(?:'s| is) too late|if i (?:do not|don't) show"
    r" up)\b"
)
# A plan: a decision, a time or an event to time it by, and an end (each anywhere in the share).
_DECISION_EN = (
    r"\b(?:i (?:have )?(?:decided|chosen (?:the|a) (?:day|date|time|place)|picked (?:the|a) (?:day|date|time"
    r"))"
    r"|my mind(?:'s| is) made up|made up my mind|it(?:'s| is) decided|i know (?:exactly )?(?:how|when)"
    r"|the plan is (?:simple|set)|i have (?:a|the|my) plan|everything i need)\b"
)
_WHEN_EN = (
    r"\b(?:the day|the date|tonight|this weekend|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)|next (?:week|month)|\d{1,2}(?:st|nd|rd|th)\b|anniversary|after (?:the|my)\b|once (?:the|my)\b"
    r"|when it ends|and when|the last (?:weekend|week|night|day))\b"
)
_ENDING_EN = (
    r"\b(?:do it|doing it|end it|it ends|it(?:'s| is) over|be over|then i am going(?:[.!]|$)|nothing stoppin"
    r"g me"
    r"|the last (?:weekend|week|night|day|time)(?! of)|how i will do it|go through with it|for it(?:[.!]|$)"
    r"|the anniversary of (?:my|his|her) \w+(?:'s)? death)"
)
COMBOS_EN: tuple[Combo, ...] = (
    combo(
        "en.farewell_final",
        FW,
        (_GOODBYE_EN, _FINAL_EN),
        "a goodbye or thanks together with finality ('for good', 'done fighting', 'look after my cat')",
        veto=ORDINARY_LEAVING_EN + r"|\b(?:next chapter|phd|thesis|semester|year)\b",
    ),
    combo(
        "en.plan_decision_time",
        MP,
        (_DECISION_EN, _WHEN_EN, _ENDING_EN),
        "a decision, a time or an event to time it by, and an end with nothing ordinary named (988/AFSP:"
        " a plan, a date, sudden calm after deciding)",
        veto=PLAN_ORDINARY_EN
        + r"|\b(?:retreat|journal club|pizza|audit|room \d+|seminar|talk|rebuttal|dinner"
        r"|drinks|games|movie|film|sleep(?:ing)? for|deadline|submission|the paper|draft|pipeline|ablation|s"
        r"cript"
        r"|analysis|conference|banquet|exam|coffee|party|holiday|trilogy|series|marathon|race)\b",
    ),
    combo(
        "en.sorry_for_after",
        MP,
        (
            r"\b(?:sorry|apologi[sz]e|apologies|forgive me)\b",
            r"\b(?:clean(?:s|ing)? up after me|what(?:'s| is) (?:going|about) to happen(?! to (?:your|the|ou"
            r"r))"
            r"|whoever (?:finds|has to)"
            r"|has to (?:find|deal with) me)\b",
        ),
        "apologising for what others will find or have to deal with afterwards",
        veto=r"\b(?:emails?|spam\w*|typos?|noise|rant|kitchen|dishes|mugs?|bench|fridge|party|code|repo|mess"
        r" in"
        r"|usb|stick|return it|inbox|newsletter|popcorn|microwave|lost|keys|wallet|umbrella|found)\b",
    ),
)
