"""Questions about the fund that its documents do not answer.

The fund's 3 source documents say little about the practical details of borrowing: fees,
security, deadlines, paperwork and so on. When someone asks about one of these, the assistant
should say plainly that the documents don't cover it, name the topic and give the team's phone
number, rather than answer with a neighbouring fact. This module holds a curated table of
those topics and recognises questions about them.

Questions the knowledge base does answer (loan amounts, term, "what is the interest rate", who
can apply, what loans pay for, how to apply, when loans were available...) are deliberately
not matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class UnknownTopic:
    """A topic the fund's documents do not cover.

    Attributes:
        key: Stable identifier, such as ``"fees"``.
        name: Plain-English name that reads well after "don't say anything about".
        note: Optional sentence on what the documents do say nearby, or "".
        related_fact: Id of the fact in ``facts.yml`` whose examples include questions on
            this topic (its answer is the nearest the documents come), or "".
    """

    key: str
    name: str
    note: str = ""
    related_fact: str = ""


@dataclass(frozen=True)
class _Rule:
    topic: UnknownTopic
    patterns: re.Pattern[str] | None
    """Match only when the text is about the fund, a loan, applying or "we"."""
    standalone: re.Pattern[str] | None
    """Specific to loans: match without other context."""
    exclude: re.Pattern[str] | None
    """Never match when this matches (a covered question in similar words)."""


def _any(*patterns: str) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _rule(
    key: str,
    name: str,
    patterns: tuple[str, ...] = (),
    standalone: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    note: str = "",
    related_fact: str = "",
) -> _Rule:
    topic = UnknownTopic(key, name, note, related_fact)
    return _Rule(topic, _any(*patterns), _any(*standalone), _any(*exclude))


# Fragments shared by several rules (text is normalised first: see _normalise).
_WE = r"(?:we|i|us|our|you|they)"
_LOAN = r"(?:loans?|lones?|loam|borrowing|finance|funding|money|cash|funds)"
_APPLICATION = r"(?:applications?|aplications?|applicatons?|appliction|apps?|bids?|proposals?)"
_ORG = (
    r"(?:organisations?|organizations?|orgs?|companies|company|spin ?outs?|spinouts?|cics?|"
    r"charities|charity|social enterprises?|mutuals?|providers?|firms?|businesses|business)"
)
_REPAY = r"(?:re ?pay\w*|pay\w* (?:it |this |the loan |the money )?(?:back|off)|clear|settle)"
_FUND_TIME = r"(?:the fund|this fund|the tsf|tsf|the scheme|it|applications?|the loan scheme)"
_THE_FUND = r"(?:the fund|this fund|the tsf|tsf|the scheme|the programme|you|it)"
_MORE_THAN_NOW = r"(?:still|currently|at the moment|right now|now|today|these days|this year)"
_OTHER_SCHEMES = (
    r"\b(?:seif|social enterprise investment fund|mutuals support programme|mutuals information "
    r"service|hospice|inclusion healthcare)\b"
)
_GUARANTEE = r"(?:gu?a?r[ae]n?t[ea]{1,2}s?|gaurant\w*|guarant\w*|guarentee\w*|garant\w*)"

_RULES: tuple[_Rule, ...] = (
    _rule(
        "early_repayment",
        "repaying a loan early, or any penalty for doing so",
        patterns=(
            rf"{_REPAY} (?:\w+ ){{0,4}}(?:early|earlier|sooner|quicker|faster|ahead of "
            r"(?:time|schedule)|before the end)",
            r"pay (?:it |the loan |the money |everything |the lot )?off (?:in full|early|sooner)",
            r"(?:repay|pay back|pay off|clear|settle) (?:the loan |it |the money )?(?:in|within) "
            r"(?:less than|under) (?:3|three) years",
            rf"{_REPAY} (?:\w+ ){{0,4}}(?:after|in|within) (?:1|2|one|two|a) years? (?:instead of"
            r"|rather than|not)",
        ),
        standalone=(
            r"\bearly (?:re ?payments?|settlement|redemption|exit|pay ?off|repaying|repayemnt\w*)",
            r"\bover ?pay\w*",
            r"\bpre ?pay(?:ment|ing)",
            r"\bredemption (?:fees?|penalt\w+|charges?)",
            r"\b(?:penalt\w*|penality|charges?|fees?) (?:\w+ ){0,2}(?:for|on|if) (?:\w+ ){0,3}"
            r"(?:early|sooner|before)",
            r"\b(?:penalt\w*|penality) (?:\w+ ){0,2}(?:if|for|when) (?:we|you|i) (?:re ?pay|pay)",
            r"\bexit (?:fees?|charges?|penalt\w+)",
        ),
    ),
    _rule(
        "fees",
        "fees or charges for a loan",
        patterns=(
            r"\bfee'?s?\b",
            r"\bfess\b",
            r"(?<!interest )\bcharges\b",
            r"\b(?:any|other|hidden|extra|additional|upfront|up front|admin\w*|arrangement|"
            r"application|set ?up|processing|legal|completion|commitment|broker\w*)\s+"
            r"(?:charges?|costs?)\b",
            r"\bcharge (?:for|to) (?:apply|applying|the application|an application|processing|"
            r"setting up)",
            r"\b(?:cost|pay|charge)\w* (?:\w+ ){0,2}(?:to|for) (?:apply|applying|an application|"
            r"the application|arrange|arranging|set up|setting up)\b",
            r"\b(?:is it|is applying|is the application|is applying for a loan) free to apply\b",
            r"\bfree to apply\b",
        ),
        exclude=(r"\binterest (?:charges?|costs?)\b",),
    ),
    _rule(
        "legal_structure",
        "which legal structures can apply (a charity, a company limited by guarantee, a "
        "co-operative, a sole trader and so on)",
        related_fact="who_can_apply",
        note="They say the fund is for public sector spin-outs that have already launched.",
        patterns=(
            r"\b(?:can|could|do|does|are|is|would|will) (?:a |an |we |registered |our )?"
            r"(?:[\w-]+ ){0,2}?(?:charit(?:y|ies)|cios?|sole traders?|co ?op\w*|community benefit"
            r" societ\w*|compan(?:y|ies) limited by (?:guarantee|shares)|clgs?|limited compan\w*"
            r"|partnerships?|llps?|trusts?) (?:\w+ ){0,3}?(?:apply|be eligible|eligible|qualify"
            r"|count|allowed|get)\b",
            r"\b(?:have|need|got|must) (?:to )?be (?:a |an )?(?:cic|charity|registered charity"
            r"|co ?op\w*|limited company|company limited by \w+|incorporated|registered)\b",
            r"\blegal (?:structure|form|status|entity|entities)\b",
            r"\b(?:what|which) (?:types?|kinds?|sorts?) of (?:legal )?(?:structure|entity|company"
            r"|companies)\b",
            r"\blimited by guarantee\b",
        ),
    ),
    _rule(
        "regulation",
        "registration with regulators such as the Care Quality Commission",
        patterns=(r"\bregistered with (?:the )?(?:cqc|ofsted|a regulator|the regulator)\b",),
        standalone=(
            r"\b(?:cqc|care quality commission|ofsted)\b",
            r"\b(?:regulator|regulated|regulation)s?\b (?:\w+ ){0,3}(?:apply|eligible|need|required"
            r"|matter)",
        ),
    ),
    _rule(
        "security",
        "security, collateral or personal guarantees for a loan",
        patterns=(
            r"\bsecurity\b",
            r"\bsecured\b",
            r"\bsecure (?:the|a|our|this) (?:loan|borrowing|lending)",
            r"\b(?:assets?|property|buildings?|equipment|house|home)\b (?:\w+ ){0,3}"
            r"(?:as security|at risk|as collateral)",
            r"\bput up (?:our |any |some )?(?:assets?|property|buildings?)",
            r"\b(?:charge|lien|debenture) (?:over|on) (?:our|the|any) (?:assets?|property|"
            r"buildings?)",
            r"\bpersonal(?:ly)? liab\w+",
        ),
        standalone=(
            r"\bunsecured\b",
            r"\bcol+at[eo]r[ae]l\w*",
            r"\bcolat\w+",
            rf"\b{_GUARANTEE}\b(?<!guaranteed)",
            r"\bguarantor\w*",
            r"\bsecured (?:loans?|lending|borrowing|on)\b",
        ),
        exclude=(
            r"\b(?:cyber|data|it|information|network|online|internet|software|systems?|"
            r"password|privacy|chat|email|digital|server|computer|patient) ?security\b",
            r"\bsecurity (?:software|systems?|patch\w*|updates?|upgrades?|tools?|project\w*|"
            r"measures|of (?:my|our|your|the) (?:data|information|details|chat|messages))",
            r"\bsecure (?:chat|website|site|connection|data)\b",
            r"\b(?:personal data|data protection|gdpr|privacy|my data|our data|my details)\b",
            r"\b(?:is|are) (?:we|it|a loan|the loan|funding|approval) (?:\w+ )?guaranteed\b",
            r"\bguarantee (?:that|we|we'll|we'd|we're|it|it'll|of (?:success|approval|a loan|"
            r"funding|getting))\b|\bno guarantee\b",
            r"\blimited by guarantee\b",
        ),
    ),
    _rule(
        "regions",
        "which parts of the UK the fund covers",
        related_fact="who_can_apply",
        patterns=(
            r"\bscot(?:t)?(?:land|ish)\b",
            r"\bwales\b|\bwelsh\b",
            r"\bnorthern ireland\b|\bn ireland\b|\bulster\b|\bbelfast\b",
            r"\b(?:republic of )?ireland\b|\birish\b",
            r"\b(?:edinburgh|glasgow|cardiff|swansea|aberdeen|dundee)\b",
            r"\b(?:uk ?wide|across the (?:whole )?uk|whole (?:of the )?uk|all (?:of|parts of) "
            r"the uk)\b",
            r"\b(?:isle of man|channel islands|jersey|guernsey)\b",
            r"\bgeograph\w*",
            r"\bregion(?:s|al|ally)?\b",
            r"\b(?:which|what) (?:areas|parts) of (?:the )?(?:uk|country|england)\b",
            r"\b(?:does|do|would) (?:it|our location) matter where (?:we|our)\b",
            r"\bmatter where (?:we are|we're|were|our) (?:based|located)\b",
            r"\b(?:abroad|overseas|internationally|international (?:organisations?|applicants?)|"
            r"outside the uk|in europe|eu based|european)\b",
        ),
        standalone=(
            r"\boutside (?:of )?(?:england|the uk)\b",
            r"\b(?:only|just) (?:for |in |open to |available in |available to )?(?:england|"
            r"english (?:organisations?|spin ?outs?|providers?|charities|cics?|applicants?))\b",
            r"\bengland only\b|\benglish (?:only|organisations?|spin ?outs?|providers?|"
            r"charities|cics?|applicants?)\b",
            r"\bother (?:parts|nations|countries) of the uk\b|\bthe devolved (?:nations|"
            r"administrations)\b",
        ),
        exclude=(
            r"\bdormant english\b",
            r"\bregional (?:manager|office)s?\b",
        ),
    ),
    _rule(
        "deadline",
        "a deadline or closing date for applications",
        related_fact="fund_timing",
        patterns=(
            r"\bdead ?lines?\b|\bdeadlin\b|\bdedline\w*",
            r"\bclos(?:ing|e) dates?\b",
            r"\bcut ?off\b",
            r"\blast (?:date|day|chance) (?:to|for) (?:apply|applying|applications?|bids?)",
            rf"\bwhen (?:do|does|will|would|is|are) {_FUND_TIME} (?:going to |due to )?"
            r"(?:close|closing|shut)\b",
            r"\bby when (?:do|must|should|would|will) (?:we|i|you|applications?)\b",
            r"\bdate by which\b",
            r"\b(?:how long|how much time) (?:have we got|do we have|is there|is left|have i got)"
            r" (?:before|until|till|to) (?:applications?|it|the fund|bids?|the tsf) (?:close|"
            r"closes|shut)",
            rf"\b{_APPLICATION} (?:need|needs|have|has) to be (?:in|submitted|received) by\b",
        ),
    ),
    _rule(
        "still_open",
        "whether the fund is still open for applications",
        related_fact="fund_timing",
        note="They say loans were expected to be available from summer 2014.",
        patterns=(
            rf"\b{_MORE_THAN_NOW} (?:open|running|accepting|taking|lending|available|live|going|"
            r"operating|active|around|exist\w*|a thing|in operation|making loans|giving loans)\b"
            r"(?! to\b)",
            rf"\b(?:is|are) {_FUND_TIME} (?:{_MORE_THAN_NOW} )?(?:open|live|active)\b"
            rf"(?! to\b)(?: (?:for|to) (?:new )?{_APPLICATION}| {_MORE_THAN_NOW})?",
            rf"\b(?:accepting|taking|receiving|considering|open for|open to new) (?:new )?"
            rf"{_APPLICATION}\b",
            rf"\b{_APPLICATION} (?:are |still )?(?:open|closed|shut)\b",
            rf"\bcan (?:we|i|you|organisations?) (?:still )?(?:apply|borrow|get a loan) "
            rf"(?:\w+ ){{0,3}}{_MORE_THAN_NOW}\b",
            r"\btoo late to (?:apply|borrow|get a loan)\b",
            rf"\b(?:has|have|is) {_FUND_TIME} (?:already )?(?:closed|shut|finished|ended|over|"
            r"wound up|stopped|run out|gone)\b",
            r"\b(?:missed|miss) (?:the|our) (?:chance|boat|window)\b",
            r"\bstill (?:lending|open|running|going|live)\b",
        ),
        exclude=(
            _OTHER_SCHEMES,
            r"\bwhen (?:did|was|were)\b",
            r"\bwe(?:'re| are| will| ll)? (?:\w+ )?(?:launch|launching|go live|going live|spin out|"
            r"spinning out)\b",
        ),
    ),
    _rule(
        "end_date",
        "when the fund ends",
        related_fact="fund_timing",
        note="They say loans were expected to be available from summer 2014.",
        patterns=(
            rf"\bwhen (?:does|will|would|is) {_FUND_TIME} (?:going to |due to |set to )?"
            r"(?:end|finish|stop|wind up|wind down|run out|be wound up|expire|conclude)",
            r"\b(?:end|finish|expiry|completion) date (?:of|for) (?:the fund|the tsf|tsf|"
            r"the scheme|the programme)",
            r"\b(?:the fund'?s|tsf'?s|the scheme'?s) (?:end|expiry|finish) date\b",
            rf"\bhow long (?:will|is|does) {_FUND_TIME} (?:going to )?(?:run|last|be running|"
            r"be open|be available|go on|continue)",
            rf"\buntil when (?:is|will|does) {_FUND_TIME}\b",
            r"\blifetime of the fund\b",
        ),
    ),
    _rule(
        "loans_made",
        "how many loans have been made, who has had one, or how much money is left",
        patterns=(
            r"\bhow many (?:loans|spin ?outs|organisations|orgs|companies|cics|charities|"
            r"projects|borrowers|awards)\b (?:\w+ ){0,5}(?:made|given|approved|funded|awarded|"
            r"received|issued|lent|granted|got|backed|supported|invested|financed|make|fund|"
            r"back|support|helped|help|so far|to date|already)",
            r"\bwho (?:has|have|had) (?:already |actually )?(?:received|got|gotten|had|been "
            r"given|taken out|borrowed|been funded|benefited|been lent)\b",
            rf"\b(?:which|what) {_ORG} (?:have|has|had) (?:already |actually )?(?:received|got|"
            r"had|borrowed|been funded|been given|taken|been backed|been lent|benefited)",
            r"\b(?:previous|past|existing|current|successful|other|earlier) (?:borrowers|"
            r"recipients|applicants|loans made|tsf loans|beneficiaries|loan recipients)\b",
            r"\bexamples? of (?:loans|organisations|spin ?outs|projects|cics) (?:\w+ ){0,3}"
            r"(?:funded|backed|made|lent|financed|supported)",
            r"\bhow much (?:money |funding |cash )?(?:is |has |'?s )?(?:left|remaining)\b",
            r"\bhow much of (?:the |that |this )?(?:£\s?\d[\d.,]*\s?(?:m|million)?|fund|money|pot"
            r"|funding)\b[^?.!]{0,30}\b(?:left|remaining|still available|unspent|spent|lent"
            r"|used)\b",
            r"\b(?:left|remaining) in the (?:fund|pot|tsf)\b",
            r"\b(?:is there|there is|is) (?:still |any )?(?:money|funding|cash) (?:still )?"
            r"(?:left|available|remaining)\b",
            r"\bhas (?:the money|the fund|the pot|it|the cash|the funding) (?:all )?(?:run out|"
            r"been used up|been spent|gone|been allocated|been lent)",
            r"\bhow much (?:has been|have you|has the fund|has tsf) (?:already )?(?:lent|spent|"
            r"loaned|given out|allocated|paid out|invested)\b(?! in total)",
            r"\bhas anyone (?:got|had|received|been given) (?:a |one|the )",
            r"\bwho (?:got|received|was given) (?:a |the )?(?:loan|money|funding)",
        ),
        exclude=(_OTHER_SCHEMES,),
    ),
    _rule(
        "success_rate",
        "how many applications succeed",
        patterns=(
            r"\b(?:chances?|odds|likelihood|probability) (?:of|that) (?:\w+ ){0,3}(?:success|"
            r"getting|being (?:approved|accepted|successful|funded)|approval|winning)",
            r"\bsuccess (?:rate|ratio)\b",
            r"\bhow (?:competitive|hard|difficult|easy|likely) is it (?:to|that) (?:get|obtain|"
            r"secure|win|be|we)\b",
            rf"\bhow many {_APPLICATION}|applicants\b (?:\w+ ){{0,3}}(?:approved|accepted|"
            r"successful|rejected|turned down|funded|refused|declined|succeed|fail|do you get|"
            r"have you had|received)",
            rf"\b(?:what|which) (?:percentage|proportion|share|fraction) of (?:{_APPLICATION}|"
            r"applicants)\b",
            r"\b(?:are|is) (?:we|our application|it) (?:likely|guaranteed) to (?:get|be|succeed)",
            r"\bguaranteed (?:a |the )?(?:loan|funding|approval|money)\b",
        ),
    ),
    _rule(
        "decision_time",
        "how long it takes to get a decision or the money",
        related_fact="how_to_apply",
        patterns=(
            r"\bhow (?:long|quickly|quick|fast|soon) (?:does|will|would|do|might|should|can) "
            r"(?:it|the (?:application|process|assessment|decision|approval|application process|"
            r"whole process|review|due diligence)|an application|applying|approval|a decision)"
            r"(?: process)? (?:take|last|be)\b",
            r"\b(?:how long|how quickly|how fast|how soon|when) (?:will|do|would|can|should|"
            r"might) (?:we|i) (?:get|hear|receive|know|find out|expect|have) (?:back|a decision|"
            r"an answer|the decision|a response|the outcome|if|whether|the result|an outcome|"
            r"approval|a reply|word|the money|the funds?|the loan|the cash|funding|the funding)\b",
            r"\b(?:decision|approval|assessment|turnaround|turn around|processing|response|"
            r"application|waiting) (?:time|times|timescales?|timeframes?|time frames?|period|"
            r"speed|timeline)\b",
            r"\bturn ?around\b",
            r"\btime to (?:a |get a |get the |reach a )?(?:decision|approval|hear back|funding|"
            r"drawdown)",
            r"\bhow long (?:until|till|before|to get|to hear|to wait for) (?:a |the |we get a |we "
            r"get the |we hear|we know|an? )?(?:decision|approval|answer|response|outcome|"
            r"back|money|funds?|funding|result)",
            r"\bhow long (?:is|are) the (?:application|approval|assessment|decision|due diligence"
            r")(?: process| stage)?\b",
            r"\bhow (?:quickly|fast|soon) (?:can|could|would|will|might) (?:we|i|you) (?:get|"
            r"receive|have|access|be given|make) (?:the |a |our )?(?:money|funds?|loan|cash|"
            r"decision|funding|approval)",
            r"\bhow long (?:do|does|will|would) (?:we|i|you|it) (?:take to|need to|have to) "
            r"(?:decide|approve|process|assess|review|wait|respond)\b",
        ),
        standalone=(
            r"\bhow (?:long|quickly|soon) (?:does|will|would|do|might) it take to (?:get|reach|"
            r"make|receive|hear) (?:a |the |an )?(?:decision|approval|answer|response|outcome)\b",
            r"\b(?:decision|approval) (?:time|times|timescales?|timeframes?|time frames?|period|"
            r"speed)\b",
        ),
        exclude=(r"\bhow long (?:do|will|would) we have to (?:repay|pay)",),
    ),
    _rule(
        "trading_history",
        "how long you need to have been trading",
        related_fact="must_be_launched",
        note="They say your spin-out must already have launched.",
        patterns=(
            r"\b(?:how long|how many (?:years|months)) (?:\w+ ){0,5}(?:been |be )?(?:trading|"
            r"operating|running|established|in business|going|existed|launched|incorporated|up "
            r"and running|delivering|in existence|independent)\b",
            r"\b(?:minimum|min|required|length of|years of|months of|period of|amount of|enough)"
            r" (?:trading|operating|operational) (?:history|record|period|time|experience)?\b",
            r"\b(?:trading|operating|financial) (?:history|record|track record)\b",
            r"\btrack record\b",
            r"\b(?:\d|one|two|three|a few|several|how many) (?:full )?(?:years?|months?) (?:of )?"
            r"(?:trading|"
            r"accounts|audited accounts|filed accounts|operating|operation|history)\b",
            r"\b(?:too new|too young|too recent|long enough|new enough)\b",
            r"\bage (?:limit|requirement|restriction)s?\b",
            r"\b(?:minimum|min|certain|set) (?:number of|amount of|length of)"
            r" (?:years|months|time)\b",
            r"\bhow old (?:do|does|must|should|would) (?:we|the organisation|our organisation|it"
            r"|an organisation|a spin ?out) (?:need to |have to )?be\b",
            r"\b(?:established|trading|operating) for (?:at least|a minimum of|how long|a year|"
            r"\d|one|two|three)\b",
        ),
        standalone=(
            r"\b(?:minimum|min|required) (?:trading|operating) (?:history|record|period)\b",
        ),
        exclude=(
            r"\bhow long (?:is|are|do|does|will) (?:the )?(?:loans?|term|repayment)\b",
            r"\bhow long (?:has|have) (?:the fund|tsf|the tsf|it|local partnerships|lp|bsc|big "
            r"society capital|you|they|the team)\b",
            r"\bhow long (?:is|will) (?:the fund|tsf|it) (?:going|running|open)\b",
        ),
    ),
    _rule(
        "application_documents",
        "what documents or information you need to send with an application",
        related_fact="how_to_apply",
        patterns=(
            r"\b(?:what|which|wat|wot|any) (?:documents?|docs|documentation|paperwork|"
            r"information|info|evidence|financials|supporting (?:documents?|evidence|"
            r"information)|attachments|details|figures)\b (?:\w+ ){0,5}(?:need|needed|require|"
            r"required|want|have to|provide|submit|send|include|supply|upload|ask for|prepare)",
            r"\b(?:need|needs|require|required|want|ask for|asks for|have to (?:submit|provide|"
            r"send|show|write|produce|prepare)|submit|provide|send|include|supply|upload|"
            r"prepare|write|show you)\b (?:\w+ ){0,4}(?:business plan|buisness plan|busines plan|"
            r"bussiness plan|business case|accounts|acounts|accouts|financial (?:forecasts?|"
            r"projections?|statements?|plans?|models?|information|history)|cash ?flows?|"
            r"forecasts?|projections?|budgets?|bank statements?|references?|board minutes|"
            r"governing documents?|articles of association|audited|management accounts|"
            r"annual report|credit history|id|proof of)",
            r"\b(?:business plan|buisness plan|accounts|forecasts|cash ?flow|financial statements"
            r"|projections) (?:needed|required|necessary|essential)\b",
            rf"\bwhat (?:should|must|needs to|has to|do we need to|do i need to) (?:be |go )?in "
            rf"(?:the|an|our|my) (?:{_APPLICATION}|business plan|bid)\b",
            r"\bwhat do (?:we|i) (?:need|have) to (?:submit|provide|send|prepare|include|supply|"
            r"upload|give you|show)",
            rf"\bwhat (?:do|does|will|would) (?:you|the team|local partnerships|the fund|the "
            rf"{_APPLICATION}) (?:need|want|require|ask for|look for) (?:from us|from me|to see|"
            rf"in an? {_APPLICATION}|with an? {_APPLICATION})",
            r"\bwhat (?:information|info|details|evidence|documents) (?:goes|go|should go) in\b",
        ),
        exclude=(r"\bwhat do (?:we|i) need to (?:do|apply)\b$",),
    ),
    _rule(
        "application_form",
        "an application form or how to send in an application",
        related_fact="how_to_apply",
        patterns=(
            r"\b(?:application|aplication|applicaton|loan|bid|enquiry|expression of interest) "
            r"forms?\b",
            r"\b(?:download|get|send|email|find|see|access|fill in|fill out|complete|obtain|"
            r"request) (?:\w+ ){0,2}forms?\b",
            r"\b(?:where|how) (?:is|are|can i find|do i get|can we get|can i get|do we get) (?:the"
            r" |a |an )?forms?\b",
            r"\b(?:is there|are there|any) (?:a |an )?(?:\w+ )?forms?\b",
            r"\bhow long is the form\b",
            r"\bforms? to (?:fill|complete)\b",
            r"\bonline (?:applications?|forms?|portal|system)\b",
            r"\b(?:application|applicant) (?:portal|pack|template|system|website)\b",
            r"\bapply (?:online|on ?line|by (?:post|email|e mail|paper|letter|phone)|via (?:the )?"
            r"(?:website|email|portal|post)|in writing|on paper)\b",
            r"\b(?:post|email|e mail|upload) (?:in )?(?:our|the|an|my) (?:application|bid)\b",
            r"\b(?:is there|do you have) a template\b",
            r"\bwhere (?:do|should|can) (?:i|we) (?:send|submit|post|email|lodge)\b",
        ),
        exclude=(r"\bcontact forms?\b", r"\b(?:social enterprise|mutual|cic) form\b"),
    ),
    _rule(
        "assessment",
        "how applications are assessed or who decides",
        related_fact="how_to_apply",
        patterns=(
            rf"\b(?:how|on what basis|on what grounds) (?:are|is|will|would|do you|does the fund|"
            rf"do they) (?:{_APPLICATION}|we|our application|it|bids|borrowers|applicants) (?:be )?"
            r"(?:assess|assessed|judged|judge|evaluated|evaluate|scored|score|decided|decide|"
            r"reviewed|review|considered|consider|appraised|appraise|chosen|choose|selected|"
            r"select|prioritised|prioritized|approved|approve)\b",
            r"\b(?:assessment|selection|scoring|decision|decision making|evaluation|appraisal|"
            r"lending|credit|approval) (?:criteria|process|panel|committee|procedure|framework|"
            r"rules|policy)\b",
            r"\bwho (?:actually |really |ultimately |finally |then |will |would )?(?:decides?"
            r"|makes the (?:final )?(?:decisions?|call)|approves?|assess(?:es)?|reviews?"
            r"|signs? off|chooses|choose|selects?|judges?|has the (?:final )?say)\b",
            r"\b(?:investment|credit|loan|lending|approval) (?:committee|panel|board)\b",
            r"\bdue diligence\b",
            rf"\b(?:interview|pitch|presentation|present to|site visit)\b (?:\w+ ){{0,4}}"
            rf"(?:{_APPLICATION}|applying|process|panel|committee|loan|you|team)",
            r"\b(?:is there|will there be|do we have to do|do we need to do|do we) (?:an? )?"
            r"(?:interview|pitch|presentation)\b",
            r"\bwhat (?:are you|is the fund|does the fund|do you|are they) look(?:ing)? for in\b",
            r"\bwhat makes (?:a |an )?(?:good|strong|successful) (?:application|bid)\b",
        ),
    ),
    _rule(
        "repayment_holiday",
        "repayment holidays, or when repayments start",
        patterns=(
            r"\b(?:when|how soon) (?:do|does|will|would|must|should) (?:we|i|the|our) "
            r"(?:first )?(?:start|begin|have to start|need to start) (?:to )?(?:repay\w*|pay\w*|"
            r"making (?:re)?payments|the (?:re)?payments)",
            r"\bwhen (?:do|does|will|would) (?:the )?(?:first )?(?:re)?payments? (?:start|begin|"
            r"kick in|commence|be due|fall due)",
            r"\b(?:first|initial) (?:re)?payments? (?:due|date|start|starts|begin)",
            r"\bstart (?:re)?pay\w* (?:straight away|immediately|right away|from day one|at once)",
            r"\bhow long (?:after|before) (?:we|drawdown|receiving|getting|the loan) "
            r"(?:\w+ ){0,3}(?:start|begin) (?:to )?(?:repay\w*|pay\w*)",
        ),
        standalone=(
            r"\b(?:re ?payment|payment|capital|interest|loan) (?:holiday|holliday|break|pause|"
            r"free period|deferral|deferment|moratorium)s?\b",
            r"\binterest ?only\b",
            r"\binterest ?free (?:period|months?|years?|first)\b",
            r"\bgrace period\b",
            r"\b(?:defer|deferring|delay|delaying|pause|pausing|postpone|postponing|suspend|"
            r"suspending) (?:the |our |any |starting )?(?:first )?(?:re)?payments?\b",
            r"\bcapital (?:holiday|free)\b",
        ),
    ),
    _rule(
        "repayment_schedule",
        "how often you make repayments or how they are worked out",
        patterns=(
            r"\bhow often (?:do|will|would|must|should|are|is|do we have to) (?:we|i|repayments?|"
            r"payments?|the (?:re)?payments?) (?:\w+ ){0,3}(?:repay|pay|make|be made|due|made|"
            r"paid)",
            r"\bhow (?:are|is|will|would) (?:the )?(?:re ?payments?|instalments?) (?:be )?"
            r"(?:structured|scheduled|made|calculated|profiled|worked out|set|arranged|split|paid)",
            r"\bhow (?:is|will|would) (?:the |a )?loan (?:be )?(?:repaid|paid back|structured)\b",
            r"\bhow much (?:will|would|do|does|must|should) (?:we|i|it) (?:have to )?(?:repay|pay"
            r" back|pay|cost) (?:\w+ ){0,2}(?:each|per|a|every|an) (?:month|quarter|year|"
            r"annum|instalment)",
            r"\b(?:repay|pay) (?:it |back |the loan |off )*(?:monthly|quarterly|annually|yearly|"
            r"weekly|each month|every month|each quarter|in instalments|in installments|in one "
            r"go|as a lump sum|in a lump sum|at the end|in one payment|all at (?:the )?end)",
        ),
        standalone=(
            r"\b(?:monthly|quarterly|annual|yearly|weekly|six monthly|regular) (?:re ?payments?|"
            r"payments?|instalments?|installments?)\b",
            r"\bre ?payment (?:schedule|schedual|profile|structure|plan|frequency|instalments?|"
            r"amounts?|calculator|dates?)\b(?! length)",
            r"\bcapital (?:re ?payments?|and interest)\b",
            r"\binterest and capital\b",
            r"\bamorti[sz]\w*",
            r"\b(?:balloon|bullet) (?:re ?payments?|payments?)\b",
            r"\bmonthly (?:cost|amount|repayment|outgoing)s?\b",
            r"\b(?:re ?payments?|instalments?) (?:\w+ ){0,2}(?:monthly|quarterly|annual|annually|"
            r"yearly|weekly)\b",
            r"\b(?:monthly|quarterly|annual|annually|yearly) or (?:monthly|quarterly|annual|"
            r"annually|yearly|weekly)\b",
        ),
    ),
    _rule(
        "interest_rate_type",
        "whether the interest rate is fixed or variable, or how it is worked out",
        related_fact="interest_rate",
        note="They only describe the rate as comparatively competitive.",
        standalone=(
            r"\bfixed (?:or|vs|versus|and|rather than|not) (?:variable|floating|tracker)",
            r"\b(?:variable|floating|tracker) (?:or|vs|versus) fixed\b",
            r"\b(?:variable|floating|tracker|fixed) (?:interest )?rates?\b",
            r"\b(?:rate|interest|intrest|apr)\w* (?:\w+ ){0,2}(?:fixed|variable|floating)\b",
            r"\b(?:linked|pegged|tied|related) to (?:the )?(?:base rate|bank rate|bank of england|"
            r"boe|libor|sonia|inflation|rpi|cpi|the base)",
            r"\b(?:margin|spread|premium) (?:over|above|on top of) (?:the )?(?:base|base rate|"
            r"bank rate|sonia|libor)",
            r"\b(?:will|would|could|can|might|does|do) (?:the |our |your )?(?:interest )?(?:rate|"
            r"rates|interest|apr) (?:ever )?(?:change|go up|rise|vary|increase|go down|fall|"
            r"move|stay the same|be reviewed)",
            r"\bsimple (?:or|vs) compound\b|\bcompound (?:or|vs) simple\b|\bcompound(?:ed|ing)? "
            r"interest\b",
            r"\bhow (?:is|will|would) (?:the )?(?:interest|rate|apr) (?:be )?(?:calculated|worked "
            r"out|charged|applied|set|decided|determined|priced)",
            r"\b(?:does|will|would) (?:the |our )?(?:interest )?rate depend on\b",
            r"\b(?:is|are) (?:the )?(?:interest )?rates? negotiable\b",
        ),
    ),
    _rule(
        "interest_rate_figure",
        "the exact interest rate",
        related_fact="interest_rate",
        note="They only describe the rate as comparatively competitive.",
        standalone=(
            r"\b(?:exact|precise|actual|specific|real|current|today'?s|representative)\w* "
            r"(?:interest |intrest )?(?:rate|apr|percentage)s?\b",
            r"\b(?:interest|intrest|rate|apr)\b (?:\w+ ){0,6}(?:exact|precise|actual|specific|real)"
            r" (?:figure|number|percentage)\b",
            r"\b(?:interest|intrest|apr|rate)\w* (?:\w+ ){0,3}(?:exactly|precisely|in (?:numbers|"
            r"figures|percentage terms)|as a (?:number|percentage|figure)|to the percent)\b",
            r"\bwhat (?:percentage|percent|%) exactly\b",
            r"\bexactly what (?:percentage|percent|rate|interest)\b",
            r"\bhow many percent\b",
            r"\b(?:interest|intrest|apr|rate)\w* (?:\w+ ){0,4}\d+(?: \d+)? ?(?:%|percent|per cent)",
            r"\b\d+(?: \d+)? ?(?:%|percent|per cent) (?:interest|apr|rate)\b",
            r"\bwhat (?:number|figure) (?:is|for) the (?:rate|interest)\b",
            r"\b(?:figure|number) (?:for|on) the (?:interest )?rate\b",
            r"\bcompetitive mean\b|\bhow competitive is competitive\b",
            r"\bin actual (?:numbers|figures|terms)\b",
        ),
    ),
    _rule(
        "equity",
        "whether the fund takes shares or equity in your organisation",
        note="They describe the fund as offering loans.",
        patterns=(
            r"\bequity\b",
            r"\b(?:take|taking|takes|want|get|have|hold|buy|require|ask for|need)\w* (?:a |an |any "
            r")?(?:stake|shares?|shareholding|equity|ownership|share of (?:our|the) (?:company|"
            r"business|organisation|profits))\b(?: (?:in|of) (?:our|the|us|my))?",
            r"\bshareholding\b",
            r"\b(?:give|giving|hand|handing) (?:up|over) (?:any )?(?:shares|equity|ownership|a "
            r"stake|control)",
            r"\b(?:sell|issue|issuing|selling) (?:\w+ )?(?:shares|equity)\b",
            r"\bdilut\w+",
            r"\bquasi equity\b|\bconvertible\b|\brevenue participation\b|\bprofit share\b",
            r"\b(?:invest|investing|investment) in (?:our )?shares\b",
            r"\bshares in (?:our|the) (?:company|organisation|cic|business|spin ?out)\b",
        ),
        exclude=(
            r"\b(?:high street )?banks?\b.*\bequity\b|\bequity\b.*\bbanks?\b",
            r"\b(?:big society capital|bsc)\b",
            r"\bshare of the (?:fund|tsf|6m|£6m|money)\b",
        ),
    ),
    _rule(
        "match_funding",
        "match funding or putting in money of your own",
        patterns=(
            r"\b(?:own|our own) (?:contribution|money|funds|cash|capital|resources|reserves|"
            r"investment)\b",
            r"\bcontribut\w+ (?:\w+ ){0,3}(?:of our own|ourselves|from us|from our)",
            r"\b(?:need|have|expected|required) to (?:contribute|put in|put up|match|find|raise)"
            r" (?:some|any|our own|part|a proportion|a percentage|the rest|a share|money|funds|"
            r"cash|anything)",
            r"\b(?:fund|cover|finance|borrow|pay for) (?:the )?(?:whole|entire|full|total|all of "
            r"the|100 ?%|100 percent)(?: of)? (?:the )?(?:project|cost|costs|amount|spend)",
            r"\b100 ?(?:%|percent|per cent) (?:of (?:the |our )?)?(?:project|cost|costs|funding)",
            r"\bwhat (?:percentage|proportion|share|portion|part) of (?:the |our )?(?:project|cost"
            r"|costs)\b",
            r"\b(?:deposit|down payment)\b",
        ),
        standalone=(r"\bmatch(?:ed)? ?fund\w*", r"\bmatching (?:funds|funding|contribution)"),
    ),
    _rule(
        "other_funding",
        "combining the loan with other funding",
        patterns=(
            r"\b(?:combine|combined|combining|alongside|together with|on top of|in addition to|"
            r"as well as|with|blend\w*|mix\w*|plus) (?:\w+ ){0,2}?(?:other|another|existing|an "
            r"existing|additional|extra|separate|different) (?:\w+ )?(?:loans?|grants?|funding|"
            r"finance|funders?|investors?|investment|lenders?|sources|debt|money)\b",
            r"\b(?:combine|combined|combining|alongside|together with|on top of|in addition to|"
            r"as well as|with|plus) (?:a |the |our )?(?:grant funding|bank loans?|a grant from|"
            r"seif|social enterprise investment fund|mutuals support programme|grants? from)\b",
            r"\b(?:other|another|different|additional|second) (?:funders?|lenders?|investors?|"
            r"sources of (?:funding|finance|money)|funding (?:sources|streams))\b",
            r"\bco ?fund\w*|\bco ?financ\w*|\bco ?invest\w*",
            r"\b(?:alongside|together with|on top of|combined? with|combining with|as well as)"
            r" (?:a |an |our |the |any )?grants?\b",
            r"\b(?:both|also) (?:\w+ ){0,3}(?:tsf|seif|the fund) and (?:seif|tsf|a bank|the "
            r"mutuals support programme|other)",
            r"\b(?:already|currently) (?:have|got|receive|hold|owe|repaying|paying) (?:a |an |"
            r"other |another |some )?(?:loans?|grants?|funding|finance|bank loans?|investment|"
            r"debts?|overdraft|borrowing)\b",
            r"\b(?:existing|other) (?:loans?|debts?|borrowing|lenders?|funders?|funding|"
            r"finance)\b",
            r"\bdouble fund\w*|\bstack\w* (?:\w+ )?(?:funding|loans|grants)",
            r"\bhave (?:we )?(?:had|got|received) (?:a )?(?:grant|loan|funding|money) (?:from|"
            r"through|via) (?:seif|the seif|another|other|the social enterprise investment fund)",
        ),
        exclude=(
            r"\brefinanc\w*",
            r"\bpay (?:off|back) (?:our )?(?:existing|other) ",
            r"\b(?:rates?|interest|cheaper|compare\w*|comparison|hospice)\b",
        ),
    ),
    _rule(
        "repeat_loans",
        "getting more than one loan",
        patterns=(
            r"\b(?:more than one|multiple|several|two|2|a second|another|second|further|follow "
            r"on|follow up|top ?up|additional|repeat|subsequent|extra) (?:tsf )?(?:loans|loan)\b",
            r"\b(?:apply|borrow|come back|go back) (?:for more |to you )?(?:again|twice|more than "
            r"once|a second time|for (?:a second|another|more))\b(?! (?:if|after|when) (?:we'?re|"
            r"we are|it'?s|our) (?:rejected|refused|turned down|declined|unsuccessful))",
            r"\btop ?up (?:the |our )?(?:loan|borrowing)\b",
            r"\bincrease (?:the |our )?loan (?:later|afterwards|at a later date|in future)",
            r"\bonce (?:we'?ve|we have) (?:repaid|paid (?:back|off)) (?:\w+ ){0,3}(?:borrow|apply|"
            r"get) (?:again|another|more)",
        ),
        exclude=(r"\bhow many (?:loans|spin ?outs)\b",),
    ),
    _rule(
        "reapply",
        "reapplying or appealing if an application is turned down",
        patterns=(
            r"\bre ?appl\w+",
            r"\bapply again (?:if|after|when|later)\b",
            r"\b(?:turned down|rejected|refused|declined|unsuccessful|not successful|say no|says "
            r"no|get a no|knocked back)\b",
            r"\bappeal\w*",
            r"\bfeedback (?:on|if|after|about) (?:\w+ ){0,2}(?:application|rejection|decision|"
            r"bid|unsuccessful)",
            r"\b(?:challenge|contest|dispute) (?:the|a) decision\b",
            r"\bsecond (?:chance|attempt|try)\b",
        ),
        exclude=(r"\b(?:banks?|lenders?|commercial|high street|for finance)\b",),
    ),
    _rule(
        "credit_checks",
        "credit checks",
        patterns=(
            r"\bcredit (?:checks?|checked|checking|search\w*|scores?|scoring|ratings?|history|"
            r"record|file|reports?|reference\w*)\b",
            r"\bcredit ?worth\w*",
            r"\b(?:ccjs?|county court judge?ments?)\b",
            r"\b(?:bad|poor|adverse|low|no|limited) credit\b",
            r"\bcheck (?:our|my|the directors'?|directors) (?:credit|finances)\b",
            r"\b(?:experian|equifax|transunion|dun and bradstreet)\b",
        ),
    ),
    _rule(
        "tax",
        "VAT or tax",
        patterns=(
            r"\bvat\b",
            r"\btax(?:es|ed|able|ation)?\b(?! (?:payers?|payer'?s) money)",
            r"\bhmrc\b",
            r"\bsitr\b|\bsocial investment tax relief\b",
        ),
        exclude=(r"\btax ?payers?\b",),
    ),
    _rule(
        "email_address",
        "an email address for the team",
        related_fact="contact_team",
        note="They say you can email or call the team, but give only a phone number.",
        patterns=(
            r"\be ?mail (?:address|addy|addr|id|contact)\w*",
            r"\b(?:what|what'?s|whats|which|give me|is there|are there|do you have|do they have|"
            r"got|have you got|send me|share) (?:the |an |a |your |their |any )?(?:\w+ )?e ?mails?"
            r"\b",
            r"\be ?mail (?:the team|them|you|the fund|local partnerships|lp|the social investment"
            r" team|someone|the tsf)\b",
            r"\b(?:can|could|should|how do|how can|may) (?:i|we) (?:send (?:an |you an |them an )?"
            r"|drop (?:them |you |the team )?an |write an |contact (?:you |them |the team )?by )"
            r"e ?mail",
            r"\be ?mail (?:or|instead of|rather than) (?:call|phone|ring)",
            r"\b(?:email|e mail) (?:only|instead)\b",
        ),
        exclude=(r"\bapply (?:by|via) (?:post or )?e ?mail\b", r"\bpost or e ?mail\b"),
    ),
    _rule(
        "office_address",
        "an office or postal address",
        patterns=(
            r"\b(?:postal|office|street|physical|registered|mailing|post|head office|business) "
            r"address\b",
            r"\bwhere (?:is|are) (?:the |your |their )?(?:office|offices|headquarters|hq)\b",
            r"\b(?:visit|come to|drop in to|drop into|pop into|meet (?:you|them|the team) at) "
            r"(?:the |your |their )?(?:office|offices|premises)\b",
            r"\baddress (?:to|for) (?:write|send|post|letters|correspondence)",
            r"\b(?:what'?s|whats|what is|give me) (?:the|your|their) address\b",
            r"\bwrite to (?:you|them|the team|local partnerships)\b",
            r"\b(?:post|send) (?:something|documents|a letter|it) to (?:you|them|the team)\b",
        ),
    ),
    _rule(
        "phone_hours",
        "the team's opening hours",
        patterns=(
            r"\b(?:opening|office|phone|call|business|working|contact) hours\b",
            r"\bwhat (?:times?|hours|days) (?:can|should|do|could) (?:i|we) (?:call|ring|phone)",
            r"\b(?:when|what time) (?:is|are) (?:the |your )?(?:team|office|phone lines?|lines|"
            r"you|they|phones) (?:open|available|manned|staffed|answered)",
            r"\b(?:call|ring|phone) (?:\w+ )?(?:at the weekend|on (?:a )?(?:saturday|sunday)|"
            r"in the evening|evenings|after (?:5|6|five|six)|out of hours)",
            r"\b(?:lines?|phones?) (?:open|manned|staffed)\b",
        ),
    ),
    _rule(
        "team_names",
        "the names of people in the team",
        related_fact="contact_team",
        patterns=(
            r"\bnames? (?:of|for) (?:the |your |their |a |someone in the )?(?:team|staff|people|"
            r"contacts?|person|managers?|officers?|advisers?|advisors?|fund managers?|members)",
            r"\b(?:named|specific|particular|individual|dedicated) (?:contact|person|adviser|"
            r"advisor|manager|officer|relationship manager|case officer)\b",
            r"\bwho (?:is|are|'?s) (?:on|in) (?:the|your) (?:social investment )?team\b",
            r"\bwho (?:works|work) (?:on|in|for) (?:the|your) (?:social investment |tsf )?team\b",
            r"\bwho (?:leads|heads|runs|manages) the (?:social investment |tsf )?team\b",
            r"\bhead of (?:the )?(?:social investment |tsf )?team\b",
            r"\b(?:chief executive|ceo|chief exec|boss|head|director|md|managing director|chair) "
            r"(?:of|at) local partnerships\b",
            r"\blocal partnerships'? (?:chief executive|ceo|boss|director|md|chair)\b",
            r"\bwho (?:is|would be|will be) (?:my|our) (?:contact|relationship manager|case "
            r"officer|adviser|advisor|point of contact)\b",
            r"\b(?:can you give me|is there) a name\b",
            r"\ba name and (?:a )?number\b",
        ),
    ),
    _rule(
        "website",
        "a website for the fund",
        patterns=(
            r"\b(?:is there|do you have|does the fund have|does tsf have|does the tsf have|have "
            r"you got|what'?s|whats|what is|where'?s|where is|link to|address of|url (?:for|of)|"
            r"give me|send me|share) (?:a |an |the |your |its |their |the fund'?s |tsf'?s |local "
            r"partnerships'? )?(?:official |dedicated |fund )?(?:web ?site|web page|webpage|site|"
            r"url|homepage|home page|web address|online page)\b",
            r"\blink to (?:the |a |your |its )?(?:web ?site|web page|webpage|site|page|homepage)\b",
            r"\b(?:web ?site|url|web address|web page|webpage|homepage) (?:for|of) (?:the fund|"
            r"tsf|the tsf|local partnerships|lp|the team|the scheme|you|this fund)\b",
            r"\b(?:more|further) (?:info|information|details) online\b",
            r"\b(?:find|read|look) (?:\w+ ){0,4}online\b",
            r"\b(?:website|site)\b (?:\w+ ){0,3}(?:more (?:info|information|details)|guidance|"
            r"read about)",
        ),
        exclude=(
            r"\b(?:phone|number|call|ring)\b",
            r"\b(?:new|build|building|develop|developing|our|improve|redesign|make a|create a) "
            r"(?:\w+ )?web ?site\b",
            r"\bsite visits?\b",
        ),
    ),
    _rule(
        "drawdown",
        "how the loan money is paid out",
        patterns=(
            r"\b(?:paid|pay|released?|disbursed?|transferred|handed over|given|received?|"
            r"drawn|provided|advanced) (?:out |to us |over )?(?:in |as )?(?:one go|a lump sum|"
            r"one lump sum|lump sum|stages|tranches?|instalments|installments|phases|chunks|"
            r"parts|one payment|a single payment|full upfront|up front|upfront)\b",
            r"\b(?:lump sum|in tranches?|in stages) (?:or|vs)\b",
            rf"\bhow (?:is|will|would|do|does) (?:the |our )?{_LOAN} (?:be |get |gets )?"
            r"(?:paid|released|transferred|delivered|received|given|sent|handed|paid out|"
            r"disbursed|drawn)",
            rf"\bhow (?:do|will|would|can) (?:we|i) (?:receive|get|access|draw|get hold of) "
            rf"(?:the )?{_LOAN}\b",
            r"\b(?:paid|released|transferred|sent|deposited) (?:into|to) (?:our|the|a) (?:bank|"
            r"account|supplier|suppliers)",
            r"\bpaid (?:directly )?to (?:us|our suppliers|the supplier|suppliers)\b",
            rf"\b(?:when|how soon) (?:will|would|do|can|does) (?:we|i) (?:receive|get|have|"
            rf"access) (?:the )?{_LOAN} (?:after|once)\b",
        ),
        standalone=(
            r"\bdraw ?downs?\b|\bdrawn down\b|\bdraw (?:it|the loan|the money|the funds?) down\b",
            r"\btranche\w*",
            r"\bdisburs\w*",
        ),
        exclude=(r"\b(?:after|before) (?:our |we )?(?:launch|launching|go ?live|spin ?out)",),
    ),
    _rule(
        "spend_period",
        "how long you have to spend the loan",
        patterns=(
            rf"\b(?:how long|how much time) (?:do|will|would|have|does) (?:we|i|it) (?:have )?"
            rf"(?:got )?(?:to|take to) (?:spend|use|invest|draw|deploy) (?:the |all (?:of )?the |"
            rf"our )?(?:{_LOAN}|it)\b",
            rf"\b(?:spend|use|invest|deploy) (?:the |all (?:of )?the |our )?(?:{_LOAN}|it) "
            r"(?:within|by|before) (?:a |the |how|what|when|\d)",
            r"\btime limit (?:to|for|on) (?:spend|spending|using|use|drawing|investing)",
            r"\bdeadline (?:to|for) (?:spend|spending|using|use)",
        ),
    ),
    _rule(
        "monitoring",
        "monitoring or reporting once you have a loan",
        patterns=(
            r"\bmonitor\w*",
            r"\breport(?:ing)? (?:requirements?|obligations?|back|duties|conditions)\b",
            r"\breport (?:to|back to) (?:you|the fund|local partnerships|them|lp|the team)\b",
            r"\b(?:do|will|would|must|should) (?:we|i) (?:have|need) to (?:report|send (?:you )?"
            r"updates|update you|provide updates|submit (?:reports|updates|accounts))",
            r"\b(?:progress|impact|annual|quarterly|monthly|financial|regular|ongoing) (?:reports?"
            r"|reporting|updates?|returns|accounts)\b (?:\w+ ){0,4}(?:need|required|expected|"
            r"send|provide|submit|you|the fund|after|during)",
            r"\bimpact (?:measurement|reporting|metrics|data|evidence|reports?)\b",
            r"\b(?:ongoing|post ?loan|after the loan|during the loan|after we get the loan|once we"
            r" have the loan) (?:requirements|obligations|conditions|monitoring|reporting|checks|"
            r"relationship|contact)\b",
            r"\bkpis?\b|\bkey performance indicators?\b",
            r"\b(?:what|any|much|how much) (?:reporting|reports)\b",
            r"\b(?:keep|kept) (?:you|the fund|the team) (?:updated|informed)\b",
            r"\bwhat happens after (?:we get|we receive|we've got|we have) the (?:loan|money)\b",
        ),
        exclude=(
            r"\b(?:remote|patient|home|health|vital signs?|telehealth|telecare|blood|glucose|"
            r"heart) monitor\w*",
            r"\bmonitor\w* (?:project|system|device|kit|equipment|technology|tech|software|"
            r"service|app|tools?|platform|sensors?|patients|people)\b",
        ),
    ),
    _rule(
        "default",
        "what happens if you can't repay a loan",
        patterns=(
            r"\b(?:can'?t|cannot|can not|couldn'?t|could not|unable to|fail to|failing to|"
            r"struggle to|struggling to|don'?t|do not|won'?t|are not able to|aren'?t able to) "
            r"(?:\w+ ){0,2}(?:re ?pay|pay (?:it |the loan |the money |you )?back|keep up|make the "
            r"(?:re)?payments|meet the (?:re)?payments|afford (?:to repay|the repayments|"
            r"repayments|to pay (?:it )?back))",
            r"\b(?:we|our (?:organisation|company|spin ?out|business|cic|charity)|the (?:borrower|"
            r"spin ?out|organisation|company|business)) (?:\w+ ){0,2}(?:go|goes|went|fall|falls|"
            r"are|is|become|becomes) (?:bust|under|bankrupt|insolvent|into (?:administration|"
            r"liquidation|receivership)|out of business)",
            r"\bwhat (?:happens|if) (?:\w+ ){0,3}(?:the project|the technology|our project|it|we)"
            r" (?:fails?|doesn'?t work|goes wrong|fold|folds|collapse|collapses|close down)",
            r"\bwhat happens if (?:we|our) (?:\w+ ){0,2}(?:lose|loses) (?:our|the|a) (?:main )?"
            r"contract",
            r"\bwrit(?:e|ten) off\b|\bdebt forgiveness\b|\bforgive (?:the )?(?:loan|debt)\b",
            r"\b(?:insolven\w+|bankrupt\w*|liquidat\w+|receivership)\b",
        ),
        standalone=(
            r"\bdefault\w*\b(?<!by default)",
            r"\b(?:miss|missed|missing|late|fall behind(?: on)?|falling behind(?: on)?|behind on|"
            r"skip|skipped) (?:a |the |our |with |any )?(?:re ?payments?|payments?|instalments?)"
            r"\b",
            r"\barrears\b",
            r"\brecover(?:y)? (?:action|proceedings|of the (?:loan|debt))\b",
        ),
        exclude=(r"\b(?:has|have|is) (?:the fund|tsf|the tsf|it) (?:\w+ )?wound up\b",),
    ),
    _rule(
        "size_requirements",
        "turnover or size requirements",
        patterns=(
            r"\bturn ?over\b",
            r"\b(?:minimum|maximum|min|max|required) (?:organisation |company )?(?:size|income|"
            r"revenue|number of (?:staff|employees)|staff numbers|headcount|balance sheet)\b",
            rf"\b(?:how big|what size|how large|how small) (?:do|does|must|should|would|has) "
            rf"(?:we|our {_ORG}|the (?:{_ORG}|applicant)|an {_ORG}|a {_ORG}|an applicant) "
            r"(?:need|have|be|got)",
            rf"\b(?:too small|too big|too large|too little) (?:a {_ORG} |an {_ORG} )?(?:to apply|"
            r"for (?:a|the|this) (?:loan|fund|tsf)|to qualify|to borrow|to be eligible|to get)",
            r"\b(?:are|is) (?:we|our (?:\w+ )?(?:organisation|company|cic|charity|spin ?out)) "
            r"too (?:small|big|large)\b",
            r"\b(?:annual )?(?:income|revenue|turnover) (?:threshold|requirement|of at least|"
            r"minimum|limit|criteria|level)\b",
            r"\b(?:number of|how many) (?:staff|employees|people) (?:do|must|should) (?:we|you|an "
            r"organisation)",
            r"\bsize (?:of )?(?:organisation|company|applicant|spin ?out) (?:do you|does the "
            r"fund|is|are)",
        ),
        exclude=(
            r"\b(?:loan|borrowing|lending|fund|pot|tsf) (?:size|amount)s?\b",
            r"\bsize of (?:the |a |each )?(?:loans?|fund|pot|tsf)\b",
            r"\bhow big (?:is|are) (?:the |a )?(?:loans?|fund|pot|tsf)\b",
        ),
    ),
    _rule(
        "loan_agreement",
        "the loan agreement or its terms and conditions",
        patterns=(
            r"\bterms (?:and|n|&) conditions\b|\bt (?:and|n) cs?\b|\bts (?:and|n) cs\b|"
            r"\bsmall print\b|\bfine print\b",
            r"\bcovenants?\b",
            r"\b(?:conditions|strings) (?:attached|of the loan|on the loan|on the money|to the "
            r"loan)\b",
            r"\bstrings attached\b",
            r"\blegal (?:agreement|documents?|documentation|contract|paperwork)\b",
            r"\b(?:sign|signing) (?:\w+ ){0,2}(?:agreement|contract)\b",
        ),
        standalone=(
            r"\bloan (?:agreement|contract|documentation|docs|facility letter|offer letter|"
            r"facility agreement)s?\b",
            r"\bfacility (?:agreement|letter)\b",
        ),
        exclude=(r"\bwho (?:\w+ ){0,5}(?:be )?with\b",),
    ),
    _rule(
        "business_support",
        "support or mentoring alongside the loan",
        patterns=(
            r"\bmentor\w*",
            r"\bcoach\w*",
            r"\b(?:business|non ?financial|technical|expert|wrap ?around|investment readiness|"
            r"hands on) (?:support|help|advice|assistance)\b",
            rf"\b(?:support|help|advice|assistance|expertise) (?:alongside|as well as|besides|"
            rf"in addition to|on top of|beyond|other than|along with|with) (?:the )?{_LOAN}\b",
            r"\b(?:just|only) (?:money|finance|cash|a loan|the loan|lending) or\b",
            r"\b(?:help|support|advice) (?:with|on|writing|to write|preparing|putting together) "
            r"(?:our |the |a |an )?(?:business plan|application|bid|business case)\b",
            r"\binvestment readiness\b",
            r"\b(?:do|does|will|would) (?:you|the fund|the team|local partnerships) (?:also )?"
            r"(?:offer|provide|give) (?:any )?(?:advice|support|help|training|guidance)\b",
        ),
        exclude=(r"\bmutuals?\b", r"\bmutuals information service\b"),
    ),
    _rule(
        "retrospective",
        "funding costs you have already paid, or a project already under way",
        patterns=(
            r"\b(?:already|previously) (?:spent|bought|purchased|paid for|incurred|started|begun|"
            r"committed|ordered|signed)\b",
            r"\bretrospective\w*|\bretroactive\w*|\bback ?dat\w*",
            r"\b(?:costs|spending|expenditure|purchases|invoices) (?:we'?ve|we have|already) "
            r"(?:already )?(?:incurred|made|spent|paid)",
            r"\bproject (?:that'?s|that is|that has|which has|which is|already) (?:already )?"
            r"(?:started|underway|under way|begun|in progress|running)",
            r"\breimburs\w*",
            r"\b(?:pay|cover|fund) (?:for )?(?:something|kit|equipment|software|a system) we'?ve "
            r"already",
        ),
    ),
    _rule(
        "state_aid",
        "state aid or subsidy control rules",
        standalone=(
            r"\bstate aid\b",
            r"\bsubsidy (?:control|rules|regime|allowance)\b",
            r"\bde minimis\b",
            r"\bminimal financial assistance\b",
        ),
    ),
    _rule(
        "insurance",
        "insurance you might need for a loan",
        patterns=(
            r"\binsur(?:ance|e|ed)\b",
            r"\bindemnity\b",
            r"\bpayment protection\b",
        ),
        exclude=(r"\bnational insurance\b",),
    ),
    _rule(
        "joint_applications",
        "applying jointly with other organisations",
        patterns=(
            r"\bjoint (?:application|bid|applicants?|loan|borrowers?)s?\b",
            r"\bjointly\b(?! owned)",
            rf"\bapply (?:together|as a (?:group|consortium|partnership of {_ORG})|with "
            rf"(?:another|other|a partner|partner|two|several) {_ORG})",
            r"\bconsorti(?:um|a|ums)\b",
            rf"\b(?:group|groups) of {_ORG} (?:apply|applying|borrow|share)",
            r"\bshare (?:a|the|one) loan\b",
        ),
    ),
    _rule(
        "suppliers",
        "choosing suppliers, or a list of approved suppliers",
        patterns=(
            r"\b(?:approved|preferred|recommended|accredited|certain|specific|particular|"
            r"framework) (?:suppliers?|vendors?|providers? of (?:software|systems|technology))\b",
            r"\b(?:choose|pick|select|use) (?:\w+ ){0,2}(?:own |any )(?:suppliers?|vendors?)\b",
            r"\b(?:suppliers?|vendors?) (?:list|framework|approval|restrictions?)\b",
            r"\blist of (?:\w+ )?(?:suppliers?|vendors?)\b",
        ),
    ),
    _rule(
        "share_of_costs",
        "how much of a project's cost a loan may cover",
        patterns=(
            r"\b(?:percentage|proportion|share|per ?cent|%|portion|fraction) of (?:the |our |a )?"
            r"(?:total |whole |overall )?(?:project|programme|scheme's)? ?"
            r"(?:costs?|budget|spend)\b",
            r"\b(?:cover|fund|finance) (?:the )?(?:whole|full|entire|total|100%) (?:of the )?"
            r"(?:project|cost|costs|budget)\b",
        ),
    ),
)

UNKNOWN_TOPICS: tuple[UnknownTopic, ...] = tuple(rule.topic for rule in _RULES)
"""Every topic the fund's documents don't cover, in matching priority order."""

# --- Is the question about this fund? --------------------------------------------------------

_STRONG_CONTEXT = re.compile(
    r"\b(?:tsf|t s f|(?:the )?(?:tech(?:nology)?|technolgy) spin ?outs? fund|spin ?outs? fund|"
    r"(?:the|this|your|ur) (?:fund|scheme|programme|program|loan scheme)|local partnerships?|"
    r"social investment team)\b"
)
_CONTEXT = re.compile(
    r"\b(?:loans?|lones?|lend\w*|lender|borrow\w*|appl(?:y|ies|ied|ying|ication|ications|icant|"
    r"icants)|aplication\w*|applicaton\w*|bids?|fund|funds|funding|funded|finance|investment|"
    r"investors?|spin ?outs?|spinouts?|repay\w*|repayments?|qualif\w*|eligib\w*|"
    r"we|we'?re|we'?ve|we'?d|we'?ll|us|"
    r"our|ours|you|your|yours|u|ur)\b"
)
_OFF_TOPIC = re.compile(
    r"\b(?:mortgages?|passports?|driving licen[cs]es?|credit cards?|debit cards?|car loans?|"
    r"car finance|student loans?|personal loans?|payday loans?|bank accounts?|savings|isas?|"
    r"overdrafts?|pensions?|council tax|parking|gym|visas?|tv licen[cs]e|phone (?:bills?|"
    r"contracts?)|broadband|rent|landlords?|tenants?|wedding|flights?|hotels?|restaurants?|"
    r"tax returns?|self assessment|my (?:son|daughter|kids?|children|child|wife|husband|"
    r"partner|family|friend|dog|cat|car|house|home|flat|phone|personal)|holiday (?:booking|"
    r"let|cottage)|netflix|amazon|ebay|spotify|uber|football|weather|recipe)\b"
)
_OWN_FUND = re.compile(r"\b(?:tsf|spin ?outs? fund|local partnerships?|social investment team)\b")


def _normalise(text: str) -> str:
    """Lower-case ``text`` with quotes unified, most punctuation spaced out and spaces collapsed."""
    text = text.lower()
    text = re.sub(r"[\u2018\u2019\u201b`´]", "'", text)
    text = text.replace("&", " and ")
    text = re.sub(r"(?<=\d)\s*%", "%", text)
    text = re.sub(r"[^a-z0-9£$%'\s]", " ", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def find_unknown_topic(text: str, about_the_fund: bool = False) -> UnknownTopic | None:
    """The uncovered topic ``text`` asks about, if any.

    A topic counts only when the text is about this fund or applying (it names the fund, or
    has a word such as loan, apply, borrow, fund, we or you), or when the matching wording is
    specific to loans ("early repayment", "personal guarantee"). Off-topic questions in similar
    words ("what's the fee for a passport", "interest rate on my mortgage") and questions the
    knowledge base answers ("what is the interest rate", "how do we apply") give None.

    Args:
        text: One question, ideally one clause of a message.
        about_the_fund: The conversation already makes it a question about the fund (the
            classifier took it for an enquiry), so no fund word is needed in ``text``.

    Returns:
        The first matching topic in priority order, or None.
    """
    normalised = _normalise(text)
    if not normalised:
        return None
    if _OFF_TOPIC.search(normalised) and not _OWN_FUND.search(normalised):
        return None
    in_context = about_the_fund or bool(
        _STRONG_CONTEXT.search(normalised) or _CONTEXT.search(normalised)
    )
    for rule in _RULES:
        if rule.exclude and rule.exclude.search(normalised):
            continue
        if rule.standalone and rule.standalone.search(normalised):
            return rule.topic
        if in_context and rule.patterns and rule.patterns.search(normalised):
            return rule.topic
    return None


def unknown_topic_reply(topic: UnknownTopic, phone: str) -> str:
    """The reply for a question on ``topic``: 2 or 3 short sentences.

    Names the topic, says the fund's documents don't cover it (adding what they do say nearby,
    if anything) and gives the Social Investment Team's number.

    Args:
        topic: The topic asked about.
        phone: The team's phone number, such as ``fund_terms.TEAM_PHONE``.

    Returns:
        For example "The fund's documents don't say anything about fees or charges for a loan.
        The Local Partnerships Social Investment Team can tell you: call 020 7187 7379."
    """
    sentences = [f"The fund's documents don't say anything about {topic.name}."]
    if topic.note:
        sentences.append(topic.note)
    sentences.append(f"The Local Partnerships Social Investment Team can tell you: call {phone}.")
    return " ".join(sentences)


_LOAN_WORDS = re.compile(
    r"\b(?:loans?|lones?|lend\w*|borrow\w*|appl(?:y|ies|ied|ying|ication|ications)|"
    r"repay\w*|spin ?outs?|spinouts?|eligib\w*|elegib\w*|qualify)\b"
)


# Words of the fund's documents that questions about other things seldom use. General
# health and care words are not among them: people ask about the NHS for many reasons.
_DOMAIN_WORDS = re.compile(
    r"£|\b(?:funds?|funding|funded|minimum|maximum|covered|social enterprises?|mutuals?"
    r"|big society capital|bsc|department of health|seif|hospice|cabinet office)\b"
)


def speaks_of_the_domain(text: str) -> bool:
    """Whether ``text`` mentions the fund, borrowing or applying, or the documents' own
    subjects: a weaker sign than :func:`mentions_the_fund`, used to judge how much of a
    question must be the facts' own words."""
    return mentions_the_fund(text) or bool(_DOMAIN_WORDS.search(_normalise(text)))


def mentions_the_fund(text: str) -> bool:
    """Whether ``text`` is about this fund, borrowing from it or applying to it.

    Stricter than the context a topic needs: "we" or "you" alone is not enough, and
    borrowing for a mortgage, a car or a student loan is not about the fund.
    """
    normalised = _normalise(text)
    if _OFF_TOPIC.search(normalised) and not _OWN_FUND.search(normalised):
        return False
    return bool(_STRONG_CONTEXT.search(normalised) or _LOAN_WORDS.search(normalised))
