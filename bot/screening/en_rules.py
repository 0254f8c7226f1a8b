"""English rule tables: first-person crisis language and the warning signs, as readable rows.

Rules look for a first-person object or subject ("kill myself", not "kill the process") and
for desire or intent ("want to die", not "the run died"). Warning signs that are not crisis
words on their own (a goodbye, giving things away, a date) are ``Combo`` rows in
``COMBOS_EN``: each needs two kinds of cue, and ordinary lab life (leaving for a new job,
moving flat, a deadline) vetoes it.
"""

from __future__ import annotations

import re

from bot.screening.model import FW, MP, PI, SH, SI, Rule, rule

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
    r"|algorithms?|triage)\b"
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
        r"|cease to exist)\b(?! on (?:this|that|the) hill| a little| inside)",
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
        r"|\b(?:take|takes|taking|took|taken) my life\b(?! (?:back|less|more|seriously|into|in|for"
        r"|to|as|one|out|off|away|apart|by|with))"
        r"|\bend(?:ing)? (?:it all|my existence|my own existence)\b",
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
        r"\b(?:think|thinking|thought|thoughts|dream|dreaming|fantasi[sz]e|fantasi[sz]ing"
        r"|obsess(?:ed|ing)?) (?:about|of) (?:dying|my death|being dead|not being alive"
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
        r"|\bwish (?:that )?i (?:had |would )?never (?:been born|existed|woke up)\b"
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
        r"|\b(?:hope|hoping|wish|pray|praying) (?:that )?i (?:do not|will not|would not|never"
        r"|did not) wake up\b"
        r"|\b(?:sleep|go to sleep|fall asleep)(?: and)? (?:never wake up|not wake up)\b"
        rf"|\b(?:sleep|go to sleep|fall asleep) forever{_CLAUSE_END}"
        r"|\bnever (?:to )?wake up again\b",
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
        r"(?! (?:in|with|here|there|on|at|near|like))"
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
        r"\b(?:tired|sick|exhausted|done) (?:of|with) (?:living|being alive|life|existing"
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
        r"\b(?:will not|not going to) be (?:around|here) (?:much |for much |for )?"
        r"(?:longer|long|anymore|any ?more|any longer)\b",
        "stating one won't be around much longer",
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
        r"|stop|stopped|quit) (?:cut|cutting)(?= (?:again|tonight|every)|$| ?[,.!?;\n])",
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
        veto=r"\brather\b[^.!?\n]{0,60}\bthan\b",
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
        r"|\b(?:written|wrote|writing|write) (?:my |the )?(?:goodbye|farewell) (?:letters?|notes?)\b",
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
    ),
    rule(
        "en.goodbye_forever",
        FW,
        r"\b(?:goodbye|good bye|bye|farewell) (?:forever|for good|for the last time)\b"
        r"|\bthis is (?:my )?(?:final |last )?goodbye\b",
        "an explicit final goodbye",
        veto=r"\b(?:last day|new job|new role|graduat\w*|moving|retir\w*|see you|keep in touch"
        r"|stay in touch|leaving (?:the|this|our) (?:lab|company|team|group|job))\b",
    ),
    rule(
        "en.give_away",
        FW,
        r"\b(?:gave|given|giving|give) away (?:all (?:of )?my|everything|most of my"
        r"|my (?:stuff|things|belongings|possessions))\b",
        "giving possessions away",
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
