"""Warning signs as cue families, for phrasings the phrase rules were not written for.

The rules in ``en_rules`` each describe a way of saying something. These describe what the
public warning-sign lists (988 Lifeline / #BeThe1To, AFSP, Samaritans, IASP) describe: asking
how much or how high a means would have to be; reading up on methods; getting hold of means
"not for" their ordinary use; a date picked, with calm after it; a plan timed by a lab event
that ends in "then it is over"; relapsing into self-harm; the passive wish that an accident
would happen; slang borrowed from games and computing; joining someone who has died. Each
cue family is a short list of words, combined with another family in the same sentence, so
that a new sentence built from them is caught as well as the one that prompted it.

Their vetoes are the sentence's own ordinary reasons (a hobby, a move, research talk, a
prescription taken as directed), so one long share can be both lab news and a warning sign.
"""

from __future__ import annotations

from bot.screening.en_rules import ORDINARY_LEAVING_EN, PLAN_ORDINARY_EN, TOPIC_TALK_EN
from bot.screening.model import BU, FW, GA, MP, PI, SH, SI, Combo, Rule, combo, rule

_S = r"[^.!?\n]"  # a character within the sentence

# --- means, and asking what would be enough --------------------------------------------------
_MEANS = (
    r"(?:pills?|tablets?|meds|medications?|medicine|prescriptions?|sertraline|paracetamol|tylenol"
    r"|acetaminophen|ibuprofen|insulin|painkillers?|sleeping pills|antidepressants|(?:whole|full) bottle"
    r"|bottle of (?:my|his|her|the)\b[^.!?\n]{0,20}|rope|noose|bridges?|buildings?|roofs?|rooftops?"
    r"|floors?|windows?|ledges?|balcon(?:y|ies)|cliffs?|parking (?:garage|structure|deck)|car park"
    r"|platforms?|tracks|the train|blades?|razors?|knife|gun|charcoal|helium|bleach|poison)"
)
_ENOUGH = (
    r"(?:how (?:many|much|high|tall|deep)|(?:high|tall|deep|strong) enough|be enough|is (?:that|it) enough"
    r"|should be enough|would (?:be|it be) enough|enough to (?:do it|end|be over|not wake)|would it take"
    r"|would it (?:be quick|hurt|work)|be quick\b|painless\w*|least (?:messy|painful)|most (?:certain"
    r"|reliable|effective|lethal)|lethal|fatal dose|for it to be over|no way back)"
)
_ORDINARY_MEANS = (
    r"\b(?:allerg\w*|hay ?fever|headache|migraine|cold|flu|prescribed|as directed|doctor said|pharmacist"
    r"|dosage|how many (?:gpus|nodes|cores|tokens|params|people|seats|chairs|tables|slides|pages)"
    r"|(?<!not for )(?<!not for the )(?:photos?|pictures?|view|sunset)"
    r"|climb\w*|boulder\w*|hik\w*|camp(?!us)\w*|moving|move|furniture"
    r"|drone|antenna|router|network|rack|server|elevator|lift|ladder|bench|printer|sign|poster|banner"
    r"|for a photo|construction|architecture|renovat\w*|rent|lease|apartment hunting|flat hunting)\b"
)

SIGN_RULES_EN: tuple[Rule, ...] = (
    rule(
        "en.sign_means_enough",
        MP,
        rf"\b{_MEANS}\b{_S}{{0,80}}\b{_ENOUGH}|\b{_ENOUGH}{_S}{{0,80}}\b{_MEANS}\b",
        "asking how many, how high, or whether a means would be enough (AFSP: looking for a way)",
        negatable=False,
        veto=rf"{_ORDINARY_MEANS}|{TOPIC_TALK_EN}|\b(?:means restriction|restrict\w*|barriers?|evidence"
        r"|summar\w*|pack sizes?)\b",
    ),
    rule(
        "en.sign_methods_compared",
        MP,
        r"\bmethods?\b[^.!?\n]{0,60}\b(?:most certain|least (?:messy|painful)|painless|quickest|surest"
        r"|for whoever finds me|which (?:one )?(?:hurts|works))\b"
        r"|\b(?:reading|read|looking|looked|searching|searched|googl\w*|comparing|researching) (?:up )?"
        r"(?:about |into |at )?(?:suicide |the )?methods\b"
        r"(?! (?:section|sections|paper|papers|for (?:the|our)|we|used|in (?:the|our)))",
        "reading up on methods, comparing them (988/AFSP: researching ways to die)",
        negatable=False,
        veto=TOPIC_TALK_EN
        + r"|\b(?:baselines?|ablations?|related work section|sota|benchmark\w*|our method|statistical"
        r"|optimi[sz]\w*|regression|estimat\w*|sampling|training methods?|teaching methods?)\b",
    ),
    rule(
        "en.sign_means_not_for",
        MP,
        rf"\b{_MEANS}\b{_S}{{0,80}}\b(?:not for (?:climbing|camping|moving|photos|the view|work|a project"
        r"|ventilation|fresh air"
        r"|the lab|a hobby|the garden|a party)|and it is not for (?:photos|the view|fun))\b"
        rf"|\b(?:bought|ordered|got|picked up)\b{_S}{{0,40}}\b(?:the stuff|the things|everything|what) i"
        r" (?:would|will|would ever) need\b",
        "getting hold of means and denying the ordinary use (988: buying or gathering means)",
        negatable=False,
    ),
    rule(
        "en.sign_painless_way",
        MP,
        r"\b(?:is there|what is|looking for|i want|i need|find|know) (?:a|the|any) (?:painless|quick|quickest"
        r"|easiest|peaceful|surest|cleanest) way\b(?! (?:to (?:learn|do (?:this|the|it in)|get|make|fix|write"
        r"|debug|install|set|run|deploy|train|migrate|convert|move|clean|tell|say|read|share|split|merge"
        r"|compute|plot|load|back|sync|cancel|ask|update|upgrade|quit (?:vim|the)|renew|apply|pay|book"
        r"|rebase|profile)|of|for|around|through|out of (?:the|this) (?:loop|meeting|contract)))"
        r"|\b(?:least|less) messy for (?:whoever|the person who|anyone who) finds? me\b",
        "asking for a painless way, or the least messy one for whoever finds them (AFSP: looking for a way)",
        negatable=False,
        veto=TOPIC_TALK_EN,
    ),
    rule(
        "en.sign_heights_checked",
        MP,
        r"\b(?:checked|checking|looked up|looking up|looking at|been looking at|measured|found out|keep"
        r" (?:going back|looking))\b[^.!?\n]{0,40}\bhow (?:high|tall|deep|far down)\b"
        r"|\bhow (?:high|tall|deep|far down)\b[^.!?\n]{0,40}\b(?:keep going back|i need to know|need to"
        r" know|asking for real)"
        r"|\b(?:need|want|have) to know how (?:high|tall|deep|far down)\b",
        "checking heights or depths and going back to them (AFSP: looking for a way)",
        negatable=False,
        veto=_ORDINARY_MEANS,
    ),
    rule(
        "en.sign_handed_an_exit",
        MP,
        r"\b(?:handed|given|gave) me (?:an exit|a way out)\b|\bfeels? like (?:an|my) exit\b",
        "medication or means felt as a way out",
        negatable=False,
    ),
    # --- a plan: a date picked, calm after deciding, timed by an event ---------------------
    rule(
        "en.sign_date_picked",
        MP,
        r"\b(?:picked|chose|chosen|set|fixed|have) (?:a|the) (?:date|day)\b(?! for (?:the|our|my) (?:party"
        r"|wedding|defen[cs]e|talk|move|trip|meeting|retreat|dinner|launch|release|deadline|demo))"
        r"|\b(?:the date is set|know (?:where and (?:i know )?when|when and (?:i know )?where)"
        r"|(?:the )?place picked|got the note written|the note (?:is )?written)\b",
        "a date or a place chosen (988/AFSP: a plan, a date)",
        negatable=False,
        veto=TOPIC_TALK_EN
        + "|"
        + PLAN_ORDINARY_EN
        + r"|\b(?:wedding|party|defen[cs]e|viva|meeting|dinner|retreat|conference|trip|launch|release"
        r"|deadline|submission|demo|appointment|exam|interview|moving|move)\b(?![^.!?\n]{0,60}\b(?:then|after"
        r" that) (?:it is over|i am (?:out|gone)|end it))",
    ),
    rule(
        "en.sign_then_it_ends",
        MP,
        r"\b(?:after (?:that|this|it|the \w+|my \w+)|once (?:that|this|it|the \w+|my \w+)|then)\b"
        r"[^.!?\n]{0,40}\b(?:it is (?:all )?over(?! for)|i am out(?:[.!,]|$)|end it(?! all (?:off|up))"
        r"|i will be gone|nothing left to stay for|no (?:reason|point) (?:to|in) stay\w*"
        r"|i (?:will )?go for good)"
        r"|\bnothing left to stay for\b|\bstopped seeing the point of (?:staying|being here|going on)\b",
        "an end timed by an event ('after the talk it is over', 'then end it', 'nothing left to stay for')",
        negatable=False,
        veto=r"\b(?:crunch|deadline season|rebuttal period|sprint|semester|term|conference|the worst"
        r"|review period|heat ?wave|the meeting|the call|for the day|for the night|for the week|lunch"
        r"|for today|for tonight|of here (?:early|by))\b",
    ),
    rule(
        "en.sign_calm_after_deciding",
        MP,
        r"\b(?:calm|peaceful|at peace|relieved|clearer|lighter|chill|not (?:scared|afraid|panicking))\b"
        r"[^.!?\n]{0,80}\b(?:picked a (?:date|day)|made up my mind|finally (?:decided|picked|chose)|i have"
        r" decided(?:[.!,]|$)|decided(?:[.!,]|$)|know (?:where|when)\b)"
        r"|\b(?:made up my mind|picked a (?:date|day)|(?:i have|i) (?:already )?decided)\b[^.!?\n]{0,40}"
        r"\b(?:calm|peace|relieved|relax\w*|clearer|lighter|not (?:scared|afraid|panicking))\b",
        "sudden calm after deciding (AFSP: a sudden calm)",
        negatable=False,
        veto=PLAN_ORDINARY_EN
        + r"|\b(?:topic|thesis|paper|offer|which|what to|whether|on (?:a|the) |defen[cs]e|viva|exam|interview"
        r"|results|deadline|(?:leave|leaving|quit\w*) (?:the|my) (?:phd|job|lab|programme|program|position"
        r"|company))\b",
    ),
    # --- passive wishes: an accident, not waking, being taken --------------------------------
    rule(
        "en.sign_welcome_accident",
        PI,
        r"\b(?:if|hope|hoping|half hope|wish)\b[^.!?\n]{0,40}\b(?:something happened to me|a car (?:does not|"
        r"would not|did not) see me|(?:hit|took|takes|run over) me\b"
        r"(?! (?:off|to|out|home|back|through|a |ages|long|hours|\d))|got (?:sick|hit) and (?:it )?(?:just )?"
        r"took me|it (?:just )?took me|never have to (?:be awake|wake up|do this) again|the last time i have"
        r" to)"
        r"|\b(?:crossing|cross) the (?:road|street)\b[^.!?\n]{0,30}\bwithout looking\b"
        r"|\b(?:do not|did not|do not really) care (?:what happens|if (?:a|the) (?:car|bus|train)"
        r"|whether i am (?:around|here|alive))"
        r"|\bfall asleep and never (?:have to )?(?:be awake|wake up|wake)\b"
        r"|\bdisappear and (?:have )?(?:nobody|no one) notice\b",
        "welcoming an accident or an illness, not caring whether one is around (Samaritans: passive wishes)",
        negatable=False,
        veto=r"\b(?:the (?:job|run|process|server|node|cluster|model|laptop|build)|lol|haha|jk)\b",
    ),
    # --- self-harm: a relapse, hiding marks -------------------------------------------------
    rule(
        "en.sign_self_harm_relapse",
        SH,
        r"\b(?:hide|hiding|cover|covering)\b[^.!?\n]{0,30}\b(?:fresh |new )?(?:cuts|scars|marks|burns"
        r"|bruises)\b"
        r"|\b(?:punch|punched|punching|hit|hitting|bang|banging|burn|burned|burnt|burning|scratch\w*|bite"
        r"|biting) (?:my|myself)\b[^.!?\n]{0,30}\b(?:until|till|bruise\w*|bleed\w*|purple|marks?|scars?)\b"
        r"|\b(?:my streak is over|been clean (?:since|for)|clean since|relapsed|broke my streak)\b"
        r"[^.!?\n]{0,80}\b(?:blade|cut\w*|razor|knife|self ?harm\w*|hurt\w*|bandage\w*|marks?)\b"
        r"|\b(?:blade|razor|knife)\b[^.!?\n]{0,60}\b(?:my streak|clean since|relapse\w*|promised myself)\b"
        r"|\bdid the thing i promised myself i\b",
        "self-harm relapse, hurting oneself until it marks, hiding cuts (NHS/Samaritans: self-harm signs)",
        negatable=False,
        veto=r"\b(?:gym|climb\w*|cook\w*|kitchen|tattoo\w*|makeup|cat|kitten|dog|sunburn|oven|iron"
        r"|coding streak|github streak|duolingo)\b",
    ),
    # --- slang and euphemisms ---------------------------------------------------------------
    rule(
        "en.sign_game_slang",
        SI,
        r"\b(?:alt ?\+? ?f[4a]|ctrl ?\+? ?alt ?\+? ?del(?:ete)?|rage ?quit|uninstall|log ?off|logging off"
        r"|sign(?:ing)? off|respawn|gg)\b[^.!?\n]{0,20}\b(?:irl|in real life|for good|permanently|myself"
        r"|life|from life|not a joke)\b"
        r"|\b(?:go|going to|gonna|might|about to) s ?word\b(?! (?:fight\w*|play\w*|art|swallow\w*|class))"
        r"|\b(?:pull(?:ing)? the plug|early stopping) on (?:myself|my life)\b"
        r"|\bend the experiment that is my life\b|\bleave the party early\b[^.!?\n]{0,40}\blife\b",
        "gaming and computing slang for suicide aimed at oneself ('alt+f4 irl', 's-word', 'pull the plug on"
        " myself')",
        negatable=False,
        veto=TOPIC_TALK_EN,
    ),
    rule(
        "en.sign_join_the_dead",
        SI,
        r"\b(?:go(?:ing)? (?:to )?(?:join|see|be with)|join|be with|see) my (?:dad|father|mum|mom|mother"
        r"|brother|sister|grandma|grandmother|grandpa|grandfather|gran|nan|friend|partner|wife|husband"
        r"|son|daughter|grandparents|parents)\b(?: again)?[^.!?\n]{0,60}\b(?:soon|passed|died|gone|how i will"
        r" get there|it happened|for good)\b"
        r"|\bsomewhere (?:the|no)\b[^.!?\n]{0,60}\b(?:cannot|can not|will not) (?:reach|find|follow) me\b"
        r"[^.!?\n]{0,40}\bnot (?:another|a) (?:country|place|city)",
        "joining someone who has died, or going 'somewhere nobody can reach me' that is not a place",
        negatable=False,
        veto=r"\b(?:flight|visit\w*|christmas|holidays?|airport|ticket|train to|bus to|for (?:lunch|dinner"
        r"|coffee|the weekend)|grave|cemetery|memorial|anniversary service)\b",
    ),
    # --- round 4: absence announced, a place with no more deadlines, sequences that end in it --
    rule(
        "en.sign_not_there_by",
        MP,
        r"\bi will not be (?:there|around|here|alive)\b[^.!?\n]{0,30}\b(?:or any(?: \w+)?|for good|any ?more"
        r"|much longer|by (?:then|the time|january|february|march|april|may|june|july|august|september"
        r"|october|november|december)|after (?:this|that|it|the deadline|today))\b"
        r"|\bi will not be (?:there|around|here) to (?:finish|see|wear|use|read|enjoy|watch)\b"
        r"|\bsomeone who will still be (?:here|around)\b"
        r"|\bnot (?:going to|gonna) see the end of (?:this|the) year\b",
        "saying one will not be there by a date, or to finish or see things (988: not being around)",
        negatable=False,
        veto=r"\b(?:vacation|holiday|leave|trip|conference|moving|move|new job|postdoc|internship|visa"
        r"|remote\w*|work from|contract|lease|semester|term"
        r"|graduat\w*|visa (?:approved|came)|sabbatical|flight|back (?:in|on|by)|see you)\b",
    ),
    rule(
        "en.sign_no_more_deadlines",
        SI,
        r"\bgoing (?:somewhere|to a place|where) (?:there (?:are|is) )?no (?:more )?(?:deadlines|reviews|pain"
        r"|rejections|visas|emails)\b"
        r"|\b(?:finally )?going to rest\b[^.!?\n]{0,60}\b(?:nobody|no one) has to\b"
        r"|\bnobody has to carry me\b"
        r"|\bthis will be my last deadline\b"
        r"|\b(?:thinking about|about to|going to) tak(?:e|ing) (?:a|the) long walk off\b"
        r"|\blast day for everything\b|\bone less me\b|\bdecided how it (?:all )?ends\b",
        "euphemisms: going where there are no more deadlines, resting so nobody carries one, one less me",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:vacation|holiday|retreat|beach|sabbatical|weekend)\b",
    ),
    rule(
        "en.sign_then_do_it",
        MP,
        r"\b(?:and )?then (?:do it|i go out|i do it|i will do it)\b(?: in that order)?(?:[.!,]|$)"
        r"|\bthe (?:decision is made|plan is ready)\b|\bi will be at the (?:lake|bridge|river|roof|cliff"
        r"|tracks|station|pier)\b[^.!?\n]{0,40}\b(?:ready|everything|night)\b|\bi have everything ready\b"
        r"[^.!?\n]{0,40}\b(?:lake|bridge|roof|tonight|friday|saturday|sunday)\b",
        "a sequence of last tasks that ends in 'then do it', a decision made, a place and everything ready",
        negatable=False,
        veto=PLAN_ORDINARY_EN + r"|\b(?:workout|laundry|dishes|groceries|taxes|homework|review|merge"
        r"|deploy|push|release|the ablation|the experiment|party|picnic|swim\w*|fishing|kayak\w*)\b",
    ),
    rule(
        "en.sign_never_born",
        PI,
        r"\bwish (?:i|you) (?:had |would |would have |was |were )?never (?:been born|existed|born)\b"
        r"|\bwould not (?:have )?mind(?:ed)? if (?:someone|a car|a bus|a train|something)"
        r" (?:bumped|hit|pushed|happened)\b"
        r"|\bhope i get (?:really |very )?(?:sick|ill|hit)\b[^.!?\n]{0,40}\b(?:ends|over|done"
        r"|without me)\b|\bstood too close to the (?:platform )?edge\b",
        "wishing one had never been born, not minding being hit, hoping to fall ill so it ends",
        negatable=False,
        veto=r"\b(?:lol|haha|jk|sick day|day off|exam|talk)\b",
    ),
    rule(
        "en.sign_hurting_until",
        SH,
        r"\b(?:scratch\w*|pick\w*|bit\w*|hit\w*|punch\w*|slap\w*|bang\w*)(?: \w+)? until (?:i|it) bleed\w*"
        r"|\b(?:scars|cuts|marks|bruises) on my (?:thighs?|arms?|wrists?|legs?|stomach|hips?)\b[^.!?\n]{0,60}"
        r"\b(?:only thing|keeping me|sane|sleeves|hide|hiding|cover)\b"
        r"|\bbought (?:new )?(?:blades|razors)\b[^.!?\n]{0,80}\b(?:lied|threw|promised|again)\b",
        "hurting oneself until it bleeds or marks, hiding scars, buying blades again (self-harm signs)",
        negatable=False,
        veto=r"\b(?:surgery|operation|cat|kitten|dog|accident|shaving|razor for|beard|cooking|kitchen"
        r"|mosquito|bites? (?:are|itch))\b",
    ),
    rule(
        "en.sign_game_over",
        SI,
        r"\b(?:log ?out|logging out|forbidden speedrun|no respawn|respawn (?:disabled|off)|go next)\b"
        r"[^.!?\n]{0,30}\b(?:irl|in real life|for good|permanently|my life|no respawn|again|for real)\b"
        r"|\bno respawn\b|\bforbidden speedrun\b",
        "gaming slang for suicide aimed at oneself ('log out irl', 'no respawn', 'the forbidden speedrun')",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:server|account|vpn|game night|match|ranked|lobby|elden|souls)\b",
    ),
    rule(
        "en.sign_means_sought",
        MP,
        r"\b(?:collected|saved|saving|gathered|hoarded|hoarding|stockpiled|been saving|sammeln|gesammelt"
        r"|keeping every|kept every|been keeping)\b"
        r"[^.!?\n]{0,30}\b(?:pills|tablets|tabletten|meds|prescriptions?|medication|painkillers)\b"
        r"|\bwould kill (?:a person|someone|me|a human) (?:fastest|quickest|painlessly)\b"
        r"|\b(?:does|would|will) (?:an? )?(?:\w+ )?overdose hurt\b",
        "saving up medication, asking what would kill fastest or whether an overdose hurts (988: means)",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:return|disposal|dispose|recycl\w*|pharmacy take ?back|expired)\b",
    ),
    rule(
        "en.sign_last_post",
        FW,
        r"\bif this is my last (?:post|message)\b|\bafter (?:today|tonight|this)\b[^.!?\n]{0,20}\byou will"
        r" (?:not|never) see me\b|\bwill not get another chance to (?:say|tell|thank)\b",
        "a last post, 'after today you will not see me', no other chance to say thanks",
        negatable=False,
        veto=ORDINARY_LEAVING_EN,
    ),
    # --- rounds 5-6 tuning parts: last words, an ordinary reading denied, absence as relief -----
    rule(
        "en.sign_last_words_here",
        FW,
        r"\b(?:this is|these are|it is|that is) (?:the|my) last (?:thing|message|post|words?|time)\b"
        r"[^.!?\n]{0,20}\b(?:i will|ill|i am going to|you will|youll|you are going to) (?:ever )?"
        r"(?:post|write|say|send|hear from me|read from me|get from me)\b"
        r"|\bthe last (?:thing|message|words?) you (?:will )?(?:ever )?(?:read|hear|get) from me\b"
        r"|\b(?:say|saying|said) (?:bye|goodbye) to (?:all of )?you\b[^.!?\n]{0,20}\b(?:for real|forever"
        r"|for good|permanently)\b|\bforever (?:bye|goodbye)\b"
        r"|\bthis is (?:kind of |sort of |basically )?(?:a|my) goodbye (?:letter|note)\b"
        r"|\bsign(?:ing|ed)? off (?:permanently|for good|forever)\b",
        "the last thing one will post, a goodbye 'for real' or a farewell note (988: saying goodbye)",
        negatable=False,
        veto=ORDINARY_LEAVING_EN + r"|\b(?:for (?:the|to)night|for today|for the weekend|until|this week"
        r"|before (?:the|my) (?:holiday|vacation|break|trip))\b",
    ),
    rule(
        "en.sign_not_the_ordinary_kind",
        FW,
        r"\bnot the (?:hotel|holiday|vacation|graduating|graduation|moving|job|travel|sabbatical|usual"
        r"|normal|good|nice) (?:kind|sort|way)\b"
        r"|\bnot the (?:kind|sort) where (?:i|you|we|someone) (?:move|moves|graduate|leave|go|get)\b"
        r"|\b(?:and )?i (?:do not|did not) mean (?:graduating|graduation|moving|a (?:new )?job"
        r"|a sabbatical|a (?:vacation|holiday|trip)|leaving the lab|on (?:holiday|vacation)|travel\w*"
        r"|the lab|my contract)\b"
        r"|\bwhen you do not mean a (?:sabbatical|holiday|vacation|trip|move)\b"
        r"|\bnot a new (?:job|city|country|lab|role|position), not a new (?:job|city|country|lab|role"
        r"|position)\b",
        "going away 'and not the kind where I move', 'I do not mean graduating' (an ordinary reading denied)",
        negatable=False,
        veto=TOPIC_TALK_EN,
    ),
    rule(
        "en.sign_gone_as_relief",
        BU,
        r"\bif i (?:was|were|am|was not|were not) (?:gone|not here|not around|dead|around)\b[^.!?\n]{0,40}"
        r"\b(?:rest|relief|relieved|better|easier|happier|free|freer|lighter|at peace)\b"
        r"|\bfor me (?:not to|to not|to stop|to no longer) (?:exist|be here|be around|be alive)\b"
        r"|\bremove (?:myself|themselves|himself|herself) from the (?:equation|picture)\b"
        r"|\b(?:you|they|everyone) would (?:all )?be (?:fine|okay|ok|happier|better) without me\b"
        r"|\bsorry for existing\b"
        r"|\b(?:be around|be here)\b[^.!?\n]{0,15}\bmuch longer\b[^.!?\n]{0,60}\b(?:for the best|better off"
        r"|easier|relief)\b"
        r"|\bbetter off\b[^.!?\n]{0,10}(?:如果|要是)?(?:没有我|冇咗我|冇我|没了我|沒有我)",
        "others relieved or freer if one were gone, the 'fix' being not to exist (988: feeling a burden)",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:meeting|call|standup|office|lab|team|project|week|holiday|vacation)\b",
    ),
    rule(
        "en.sign_wish_not_here",
        PI,
        r"\b(?:nice|easier|better|a relief|relief|peaceful|okay|fine) (?:to|if i could|if i|if i would)"
        r" (?:just(?:\.\.+)? )?(?:not be here|not exist|stop existing|disappear for good|disappear forever"
        r"|(?:did not|do not|would not|never) (?:wake|woke|get) up)\b"
        r"|\b(?:blink|fade|vanish|disappear)(?:ed|ing)? out of existence\b"
        r"|\bsleep and never (?:wake|get) up(?: again)?\b"
        r"|\bpray (?:that )?i (?:will |would )?(?:just )?go in my sleep\b"
        r"|\bwant to (?:just )?not be here any ?more\b"
        r"|\bpray (?:that )?i (?:do not|will not|would not|never) (?:get|wake) up\b"
        r"|\b(?:could|want to|wish i could) (?:just )?cease to exist\b",
        "wishing not to be here, to blink out of existence, to sleep and never get up (Samaritans: passive)",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:meeting|call|standup|party|class|lecture|seminar|zoom|weekend|monday)\b",
    ),
    rule(
        "en.sign_leave_this_world",
        SI,
        r"\b(?:time (?:for me to|i|to)|ready to|want to|going to|about to|decided to|wish i could|i will)"
        r" (?:left|leave|depart|exit) (?:this|the) (?:world|earth|life)\b"
        r"|\b(?:going|go|headed|heading) (?:somewhere|to a place|where)\b[^.!?\n]{0,30}"
        r"\b(?:none of you|no one|nobody|you) (?:can|could|will be able to) (?:follow|come)\b"
        r"|\b(?:not|no|never) (?:be )?need(?:ing)? a return ticket\b"
        r"|\b(?:go|going) somewhere i (?:do not|will not|would not|cannot|never) come back from\b"
        r"|\b(?:take|taking) the long walk (?:out )?into the (?:sea|ocean|river|lake)\b",
        "leaving this world, going where nobody can follow, no return ticket, walking into the sea",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:game|novel|film|movie|character|song|lyrics?|holiday|vacation|beach day"
        r"|swim(?:ming)? (?:race|club|lesson)|triathlon|surf\w*|kayak\w*|paddl\w*)\b",
    ),
    rule(
        "en.sign_long_rest",
        SI,
        r"\b(?:the|a) (?:long|eternal|final|big) (?:rest|sleep|goodnight)\b[^.!?\n]{0,40}"
        r"(?:\b(?:soon|not much longer|now|ready|forever)\b|$)"
        r"|\blooking forward to (?:the|a) (?:long|eternal|final) (?:rest|sleep)\b",
        "looking forward to 'the long rest', 'the final sleep' (euphemisms for dying)",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:holiday|vacation|christmas|break|weekend|after the deadline"
        r"|after submission|nap|bed|hibernat\w*)\b",
    ),
    rule(
        "en.sign_cut_again",
        SH,
        r"\bi (?:cut|cutted|burned|burnt) (?:myself )?(?:again|for the first time in|last night|tonight"
        r"|deeper)\b"
        r"|\bi am cut?ting again\b|\bcuting (?:again|myself)\b",
        "cutting again, for the first time in a year (NHS/Samaritans: self-harm relapse)",
        negatable=False,
        veto=r"\b(?:hair|fringe|bangs|nails|losses|the (?:paper|section|budget|branch|release)|onions?"
        r"|vegetables|cooking|kitchen|finger while)\b",
    ),
    rule(
        "en.sign_me_kys",
        SI,
        r"\b(?:me|myself) kys\b|\bkys\b[^.!?\n]{0,30}\bfor (?:myself|me)\b",
        "kys turned on oneself ('kys energy but for myself')",
        negatable=False,
        veto=TOPIC_TALK_EN,
    ),
    rule(
        "en.sign_plan_and_date",
        MP,
        r"\bi have (?:a|the|my) (?:plan|date|method|way) and (?:a|the|my) (?:date|plan|method|means|way"
        r"|time|day)\b"
        r"|\bi have (?:written out|worked out|planned|decided|figured out|chosen|picked) (?:exactly )?"
        r"(?:how and when|when and how|the date|the day|the weekend|the night)\b"
        r"|\bthe method is (?:sorted|chosen|decided|ready)\b"
        r"|\b(?:accept )?(?:my )?apolog\w* in advance for the (?:trouble|mess|pain|hurt)\b"
        r"|\barranged (?:matters|things|everything|it all)\b[^.!?\n]{0,60}\bthe end of me\b"
        r"|\bi have arranged everything so (?:it|that it) will be easy for you\b",
        "a plan and a date, a method sorted, apologies in advance for 'the trouble' (AFSP: a plan)",
        negatable=False,
        veto=TOPIC_TALK_EN + r"|\b(?:our method|the paper|baseline|ablation|experiment|results|trip|travel"
        r"|wedding|party|move|moving|holiday|vacation|presentation|talk|review)\b",
    ),
    rule(
        "en.sign_done_for_good",
        MP,
        r"\b(?:after|once)\b[^.!?\n]{0,30}\b(?:deadline|submission|defen[cs]e|thesis|term|semester|grant"
        r"|talk|review|conference|weekend)\b[^.!?\n]{0,20}\bi am (?:done|gone)\b[^.!?\n]{0,5}\b(?:for good"
        r"|forever|permanently)\b",
        "a timeline: after a lab event, 'I am done, for good' (AFSP: a timeline tied to an event)",
        negatable=False,
        veto=PLAN_ORDINARY_EN + TOPIC_TALK_EN + r"|\b(?:academia|research|science|this field|this job"
        r"|this lab|phd|with (?:this|the|it|them|him|her))\b",
    ),
    rule(
        "en.sign_looking_at_the_drop",
        MP,
        r"\b(?:tracks|bridge|river|roof|rooftop|window|ledge|balcony|cliff|top floor|\d+(?:st|nd|rd|th)"
        r" floor|platform|parking (?:garage|deck))\b[^.!?\n]{0,60}\b(?:how far down|how far the drop"
        r"|how high it is|measuring it|measuring the (?:drop|height)|the deepest (?:bit|part|point|spot)"
        r"|just to look|where nobody goes|opened it all the way)\b"
        r"|\b(?:how far down|the deepest (?:bit|part|point|spot)|where nobody goes|just to look)\b"
        r"[^.!?\n]{0,60}\b(?:tracks|bridge|river|roof|rooftop|window|ledge|balcony|cliff|platform)\b",
        "looking at a drop, a bridge or the tracks, measuring it (AFSP: checking heights or places)",
        negatable=False,
        veto=_ORDINARY_MEANS + r"|" + TOPIC_TALK_EN,
    ),
    rule(
        "en.sign_means_not_for_sport",
        MP,
        r"\b(?:gun|rifle|pistol|rope|pills|knife)\b[^\n]{0,80}\b(?:it is|it's|and it is|and it's) not for"
        r" (?:sport|hunting|the range|target practice|protection|climbing|camping|work)\b",
        "getting a gun or rope 'and it is not for sport' (988: buying means, ordinary use denied)",
        negatable=False,
        veto=TOPIC_TALK_EN,
    ),
)

# Farewell and possessions: combinations over the whole share.
_NOT_NEEDED = (
    r"\b(?:will not (?:need|be needing) (?:it|them|this|these|the \w+|my \w+|anything)|not going to need"
    r"|no longer need|will not be able to look after|not going to be able to look after|cannot look after"
    r" (?:her|him|them) (?:any ?more|much longer)|close my accounts|my affairs in order|affairs in order"
    r"|beneficiary|life insurance|sort(?:ing|ed)? out my affairs"
    r"|need a (?:new )?home soon|nobody (?:will be|to) look after|no one (?:will"
    r" be|to) look after)\b"
)
_AFTER_ME = (
    r"\b(?:soon|anymore|any more|after (?:this|that|i am gone|me)|much longer|for good|when i am gone"
    r"|figured (?:he|she|they) would need|will need (?:them|it) to|after this (?:week|weekend)"
    r"|weirdly calm\w*|calming|at peace|easy for everyone(?: after)?)\b"
)
_LEAVING_EVERYTHING = (
    r"\b(?:leaving everything|signing off for good|last (?:standup|meeting|talk|post|message|thing)"
    r" i will ever|(?:the )?last (?:one|time) i will ever|i will not be coming back|not coming back"
    r"|this is goodbye|will not be needing the 988|made my peace|make my peace)\b"
)
_ORDINARY_FAREWELL = (
    r"\b(?:new job|postdoc|moving|move|relocat\w*|graduat\w*|defen[cs]e|visa (?:approved|came through)"
    r"|flight|holiday|vacation|sabbatical|leave|internship|startup|industry|keep in touch|stay in touch"
    r"|see you|next chapter|farewell (?:drinks|lunch|party)|retir\w*|new lab|new role|new position"
    r"|for the night|for the weekend|for tonight|until monday|lease|apartment|flat|sublet|selling|for sale"
    r"|free to a good home|moving sale|adopt\w*|shelter|allerg\w*|landlord|project|allocation|hours"
    r"|credits|quota|gpus?|a100s?|h100s?|licen[cs]es?|subscriptions?|tickets?|vouchers?|since)\b"
)

_RELAPSE = r"\b(?:my streak is over|broke my streak|relapsed|relapse|clean since|been clean (?:since|for))\b"
_HARM_MEANS = r"\b(?:blade|razor|cut\w*|self ?harm\w*|bandage\w*|burn(?:ed|t|ing)? myself|scars?)\b"
_NOT_HARM = (
    r"\b(?:coding|github|commit|duolingo|gym|running|workout|diet|sober|drinking|alcohol|smoking|vaping"
    r"|gaming|caffeine|coffee|sugar|paper cut|haircut|cut (?:the|a|our|my) (?:paper|section|budget|hair"
    r"|losses|release|branch)|shaving|kitchen|cook\w*)\b"
)

SIGN_COMBOS_EN: tuple[Combo, ...] = (
    combo(
        "en.sign_letters_for_family",
        FW,
        (
            r"\b(?:wrote|written|left|writing) (?:a |the )?letters? (?:for|to) (?:my )?"
            r"(?:mom|mum|mother|dad|father|parents|family|sister|brother|wife|husband|partner|kids)\b",
            r"\b(?:make sure (?:they|she|he) gets?|when (?:they|she|he) finds?|in the (?:top )?drawer"
            r"|on my desk|pls|please)\b",
        ),
        "letters left for family, to be passed on (988: a farewell letter)",
        veto=_ORDINARY_FAREWELL + r"|\b(?:birthday|christmas|recommendation|reference|memorial book)\b",
    ),
    combo(
        "en.sign_gave_it_all_away",
        GA,
        (
            r"\b(?:gave|giving|given|handing over|handed over) (?:away )?my \w+(?: \w+)? to\b[^.!?\n]{0,60}"
            r"\bmy \w+(?: \w+)? to\b",
            r"\b(?:then i am done|only thing left|nothing (?:is )?left over|my last (?:debts|bills|payments?)"
            r"|will not be around|not leaving the lab|i am sure of that)\b",
        ),
        "giving belongings away one by one, 'then I am done' (988: giving away possessions)",
        veto=_ORDINARY_FAREWELL,
    ),
    combo(
        "en.sign_accounts_to_family",
        GA,
        (
            r"\b(?:transfer (?:the )?ownership|hand over|give access|auto ?pay\w*"
            r"|set up (?:auto )?payments?)\b",
            r"\b(?:my (?:parents|family|sister|brother|mom|mum|dad)|so nothing is left|last debts"
            r"|permanently)\b",
            r"\b(?:permanently|for good|so nothing is left|last debts|when i am gone|photos too)\b",
        ),
        "handing accounts and photos to family for good, settling last debts (988: putting affairs in order)",
        veto=_ORDINARY_FAREWELL + r"|\b(?:company|employer|team drive|org|admin|shared drive for the lab)\b",
    ),
    combo(
        "en.sign_relapse_means",
        SH,
        (_RELAPSE, _HARM_MEANS),
        "a self-harm streak broken, with a blade or cuts named (NHS/Samaritans: self-harm relapse)",
        veto=_NOT_HARM,
    ),
    combo(
        "en.sign_party_early",
        SI,
        (r"\bleave the party early\b", r"\b(?:life|for good|this time)\b"),
        "leaving the party early, said of life",
        veto=TOPIC_TALK_EN + r"|\b(?:tired|babysitter|train|bus|flight|tomorrow morning|early start)\b",
    ),
    combo(
        "en.sign_not_needed",
        GA,
        (_NOT_NEEDED, _AFTER_ME),
        "arranging affairs or rehoming what one will not need or be able to look after (988: giving away)",
        veto=_ORDINARY_FAREWELL,
    ),
    combo(
        "en.sign_leaving_everything",
        FW,
        (_LEAVING_EVERYTHING,),
        "a farewell that is final ('leaving everything', 'last standup i will ever do')",
        veto=_ORDINARY_FAREWELL,
    ),
)
