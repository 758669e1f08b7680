"""Specs for reading the facts applicants state about their own organisation.

Each row is a message (and the interview question being asked, if any) with every fact it
states. Rows are checked exactly: a fact not listed must be ``None``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tsf_knowledge.applicant_facts import (
    ApplicantFacts,
    classify_purpose,
    classify_sector,
    extract_facts,
    is_correction,
)
from tsf_knowledge.eligibility import Answer

YES, NO, UNSURE = Answer.YES, Answer.NO, Answer.UNSURE


def case(text: str, asking: str | None = None, **facts: object) -> Any:
    """One row: ``text`` asked under ``asking`` states exactly ``facts``."""
    label = f"{asking}:{text}" if asking else text
    return pytest.param(text, asking, facts, id=label[:70])


NAMES = [
    # A named organisation asking whether it can apply
    case(
        "Can Kestrel Valley Care Partnership apply?",
        organisation_name="Kestrel Valley Care Partnership",
    ),
    case("Can We Apply For A Loan For Our Care"),
    case("We're Riverside Care CIC", organisation_name="Riverside Care CIC"),
    case(
        "Hello, our organisation is called Brookside Therapies",
        organisation_name="Brookside Therapies",
    ),
    case(
        "I work for Meadowbank Community Services Ltd",
        organisation_name=("Meadowbank Community Services Ltd"),
    ),
    case("I'm Priya from Northgate Health", organisation_name="Northgate Health"),
    case("i'm the finance lead at Tern Valley Mutual", organisation_name="Tern Valley Mutual"),
    case("our cic is called willow lane care", organisation_name="willow lane care"),
    case(
        "The company I run, Harbourside Wellbeing Ltd, spun out of the council",
        organisation_name="Harbourside Wellbeing Ltd",
        spun_out=YES,
        origin="the council",
    ),
    # A name with a legal suffix counts wherever it stands.
    case("please check whether Ashby Physio CIC qualifies", organisation_name="Ashby Physio CIC"),
    case("Can Linden Rehab Ltd apply?", organisation_name="Linden Rehab Ltd"),
    # Questions put to the assistant state nothing, whatever they quote.
    case("Why do you need to know whether we came out of the public sector?"),
    case("how does it work if we left the council last year?"),
    case("Could you tell me what we would need to have launched by?"),
    # Leaving a public body now is a spin-out in the making, not yet trading.
    case(
        "we're a team of physios leaving the local NHS trust next spring",
        spun_out=UNSURE,
        origin="the local NHS trust",
        trading=NO,
    ),
    # Descriptions are not names.
    case("we're a CIC"),
    case("we r a cic"),
    case("We're a Community Interest Company"),
    case("I work for the NHS"),
    case("We are Looking For Funding"),
    case("we've built a scheduling tool called RotaMate"),
    # A bare reply to "what is your organisation called?"
    case("Riverside Care CIC", "organisation_name", organisation_name="Riverside Care CIC"),
    case(
        "it's Oakfield Partnership", "organisation_name", organisation_name="Oakfield Partnership"
    ),
    case("ashdown health cic", "organisation_name", organisation_name="ashdown health cic"),
    case("yes", "organisation_name"),
    case("why do you need to know?", "organisation_name"),
]

SPIN_OUTS = [
    case(
        "we left the council in 2016",
        spun_out=YES,
        origin="the council in 2016",
        spun_out_year=2016,
        trading=YES,
        trading_since="2016",
    ),
    case(
        "We spun out of Sheffield City Council back in 2015",
        spun_out=YES,
        origin="Sheffield City Council back in 2015",
        spun_out_year=2015,
        trading=YES,
        trading_since="2015",
    ),
    case("set up by ex-NHS physios", spun_out=YES, origin="NHS"),
    case("we're a staff mutual from the PCT", spun_out=YES, origin="the PCT"),
    case("we used to be part of the local authority", spun_out=YES, origin="the local authority"),
    case(
        "our team came out of the community health trust in 2012",
        spun_out=YES,
        origin="the community health trust in 2012",
        spun_out_year=2012,
        trading=YES,
        trading_since="2012",
    ),
    case(
        "in 2013, we spun off from the primary care trust",
        spun_out=YES,
        origin="the primary care trust",
        spun_out_year=2013,
        trading=YES,
        trading_since="2013",
    ),
    case("spun out frm the nhs trust", spun_out=YES, origin="the nhs trust"),
    case(
        "we were founded by former council occupational therapists", spun_out=YES, origin="council"
    ),
    case("we're an NHS spin-out", spun_out=YES, origin="NHS"),
    case("we're a spin-off of the county council", spun_out=YES, origin="the county council"),
    case(
        "we were set up by staff who left the city council",
        spun_out=YES,
        origin="the city council",
    ),
    case("We're a team of ex-council social workers", spun_out=YES, origin="council"),
    case(
        "We were set up in 2014 by a group of nurses who left the local hospital trust",
        spun_out=YES,
        origin="the local hospital trust",
        spun_out_year=2014,
        trading=YES,
        trading_since="2014",
    ),
    # Talking about the fund is not being a spin-out.
    case("we'd like to know more about spin-out loans"),
    case("we want to apply to the Technology Spin-Out Fund"),
    # Negations
    case("we were never part of the public sector", spun_out=NO),
    case("we're not a spin-out", spun_out=NO),
    case("we're a private limited company with no public sector background", spun_out=NO),
    case("we dont have any NHS history at all", spun_out=NO),
    case("we have always been independent", spun_out=NO),
    # Plans are not spin-outs yet, and a group still planning has not launched.
    case("we're planning to spin out next year", spun_out=UNSURE, trading=NO),
    case(
        "we are in the process of spinning out of the trust",
        spun_out=UNSURE,
        origin="the trust",
        trading=NO,
    ),
    case(
        "hoping to spin out of the council in the autumn",
        spun_out=UNSURE,
        origin="the council",
        trading=NO,
    ),
    # Doubts
    case("not sure if we count as a spin-out", spun_out=UNSURE),
    case(
        "are we a spin-out? we were set up by ex-NHS nurses",
        spun_out=YES,
        origin="NHS",
    ),
    # General and hypothetical questions state nothing.
    case("can a company that was never in the public sector apply?"),
    case("is a spin-out from a council eligible?"),
    case("what if we were never in the NHS?"),
    case("would a company like ours that never was in the public sector qualify?"),
    case("my friend runs a social enterprise that spun out of the NHS"),
    case("I'm asking for a friend whose company spun out of the NHS"),
    case("if we spun out of the NHS, would we be eligible?"),
    case(
        "we spun out of the NHS. if we haven't launched yet, can we still apply?",
        spun_out=YES,
        origin="the NHS",
    ),
    # Replies to "was your organisation set up by former public sector staff?"
    case(
        "we left the council in 2016",
        "spun_out",
        spun_out=YES,
        origin="the council in 2016",
        spun_out_year=2016,
        trading=YES,
        trading_since="2016",
    ),
    case("no, we were always independent", "spun_out", spun_out=NO),
    case("not sure what counts", "spun_out", spun_out=UNSURE),
    case("yes", "spun_out", spun_out=YES),
    case("yep, the local trust", "spun_out", spun_out=YES, origin="the local trust"),
    case("does a mutual count?", "spun_out"),
    case("can a company that was never in the public sector apply?", "spun_out"),
    case(
        "we were TUPE'd over from the council in 2012",
        "spun_out",
        spun_out=YES,
        origin="the council in 2012",
        spun_out_year=2012,
        trading=YES,
        trading_since="2012",
    ),
    # Replies to "which public body did it come from?"
    case("Leeds City Council", "origin", spun_out=YES, origin="Leeds City Council"),
    case(
        "the mental health trust, in 2011",
        "origin",
        spun_out=YES,
        origin="the mental health trust, in 2011",
        spun_out_year=2011,
        trading=YES,
        trading_since="2011",
    ),
]

SPIN_OUT_DETAILS = [
    case(
        "Yes, we're a spin-out: set up in 2013 by dietitians who left Hillview NHS Trust.",
        "spun_out",
        spun_out=YES,
        origin="Hillview NHS Trust",
        spun_out_year=2013,
        trading=YES,
        trading_since="2013",
    ),
    case("none of us has ever worked for the NHS or a council", spun_out=NO),
]

TRADING = [
    case("We've been trading ever since", trading=YES),
    case("we've been running for two years", trading=YES, trading_since="two years"),
    case("trading since 2016", trading=YES, trading_since="2016"),
    case("we launched last april", trading=YES, trading_since="last april"),
    case("we're up and running", trading=YES),
    case("we have 40 staff and contracts with the CCG", trading=YES),
    case("weve been tradin 3 yrs", trading=YES, trading_since="3 years"),
    case("we've not long launched", trading=YES),
    case("not yet, we launch in spring", trading=NO),
    case("we're pre-launch", trading=NO),
    case("we are still setting up", trading=NO),
    case("we're about to launch", trading=NO),
    case("we havent started trading", trading=NO),
    case("we're launching next month", trading=NO),
    case("our launch is in the new year", trading=NO),
    case("we plan to open in 2027", trading=NO),
    case("We are not sure whether we have launched officially", trading=UNSURE),
    case("I'd like to know if a CIC that hasn't launched can apply"),
    case("would a charity that has been trading for 5 years qualify?"),
    case("can you lend to a CIC that launched last year?"),
    case("sort of, soft launch", trading=UNSURE),
    case("we're running a pilot with two GP practices", trading=UNSURE),
    case("we haven't launched yet, can we apply?", trading=NO),
    case("what if we haven't launched yet?"),
    case("do we need to have launched?"),
    case("does a company have to be trading already?"),
    # Replies to "has your organisation launched and started trading?"
    case("yes", "trading", trading=YES),
    case("not yet, we launch in spring", "trading", trading=NO),
    case("since 2019", "trading", trading=YES, trading_since="2019"),
    case("kind of", "trading", trading=UNSURE),
]

SERVICES = [
    case("we provide community nursing", services="community nursing", sector="health"),
    case(
        "we run home care for older people",
        services="home care for older people",
        sector="social_care",
    ),
    case("we deliver physiotherapy to the NHS", services="physiotherapy", sector="health"),
    case(
        "we provide mental health services",
        services="mental health services",
        sector="health",
    ),
    case("we do catering for schools", services="catering for schools", sector="other"),
    case("we're a domiciliary care provider", services="domiciliary care", sector="social_care"),
    case(
        "our CIC offers health and social care",
        services="health and social care",
        sector="health_and_social_care",
    ),
    case(
        "we mostly deliver adult social care and district nursing",
        services="adult social care and district nursing",
        sector="health_and_social_care",
    ),
    case(
        "community nursing and health visiting",
        "services",
        services="community nursing and health visiting",
        sector="health",
    ),
    case("care homes", "services", services="care homes", sector="social_care"),
    case(
        "we do not provide health services, we do IT training",
        services="IT training",
        sector="other",
    ),
    case("I used to work for the NHS and now run my own company"),
    # Without "we": a representative writing about a client, a purpose clause, a contract
    case(
        "They set it up to deliver autism support back to the local authority.",
        "spun_out",
        spun_out=Answer.YES,
        origin="the local authority",
        services="autism support",
        sector="social_care",
    ),
    case(
        "We started in 2018. The council pays us for community physiotherapy for adults.",
        "services",
        trading=Answer.YES,
        trading_since="2018",
        services="community physiotherapy for adults",
        sector="health",
    ),
    case(
        "been going since then doing meals on wheels for the county",
        "services",
        trading=Answer.YES,
        services="meals on wheels for the county",
        sector="social_care",
    ),
    # ... but money to provide technology is no service
    case("we need money to provide tablets to our nurses"),
]

PURPOSES = [
    case(
        "we need a loan to buy tablets for our nurses",
        purpose="tablets for our nurses",
        purpose_is_technology=YES,
    ),
    case(
        "we want to upgrade our patient records",
        purpose="upgrade our patient records",
        purpose_is_technology=YES,
    ),
    case(
        "we need money to refurbish our building",
        purpose="refurbish our building",
        purpose_is_technology=NO,
    ),
    case(
        "we're after funding for new vans and some software",
        purpose="new vans and some software",
        purpose_is_technology=UNSURE,
    ),
    case(
        "need 500k 4 a new system",
        purpose="a new system",
        purpose_is_technology=YES,
        amount=500_000,
    ),
    case(
        "the money is for a telecare platform",
        purpose="a telecare platform",
        purpose_is_technology=YES,
    ),
    case(
        "we need a new heating system",
        purpose="a new heating system",
        purpose_is_technology=NO,
    ),
    case(
        "new vans and some software",
        "investment_purpose",
        purpose="new vans and some software",
        purpose_is_technology=UNSURE,
    ),
    case(
        "IT kit for the office",
        "investment_purpose",
        purpose="IT kit for the office",
        purpose_is_technology=UNSURE,
    ),
    case("do you fund minibuses?"),
    case(
        "We need to replace our IT infrastructure, approx £400,000",
        purpose="replace our IT infrastructure",
        purpose_is_technology=YES,
        amount=400_000,
    ),
    case(
        "we want to refinance our existing loans",
        purpose="refinance our existing loans",
        purpose_is_technology=NO,
    ),
    case("suppose we wanted new vans, would that count?"),
]

AMOUNTS_AND_TERMS = [
    case("£900k but over 8 years?", amount=900_000, term_years=8.0),
    case("we'd like to borrow 650k", amount=650_000),
    case("we want a five year loan", term_years=5.0),
    case("we'd pay it back in 8 years", term_years=8.0),
    case("we could repay within 3 yrs", term_years=3.0),
    case("we'd like an 18 month loan", term_years=1.5),
    case("we'd repay over two and a half years", term_years=2.5),
    case("350k", "amount", amount=350_000),
    case("about 350", "amount"),
    case("not sure yet", "amount"),
    case("yes, over 4 years", "can_repay", term_years=4.0),
    case("4 years", "can_repay", term_years=4.0),
    case("yes", "can_repay"),
    # Numbers that are not the amount or the term
    case("we have 20,000 patients and 45 staff", trading=YES),
    case("we've been trading for 2 years", trading=YES, trading_since="2 years"),
    case("is 3-5 years the term?"),
    case("can we repay over 3-5 years?"),
    case("call me on 07700 900123"),
    case("we need 300k. my mobile is 07700 900456", amount=300_000),
    case("our company number is 09876543 and we need half a million", amount=500_000),
    case("our turnover is £2m and we need 400k", trading=YES, amount=400_000),
    case("is the minimum 250k?"),
    case("do you lend between £250,000 and £1m?"),
    case("we've got over 10 years experience in home care"),
    case("we'd need the money for 2 years"),
    case("we need between 300k and 400k", amount=300_000),
    case("we need 300-400k", amount=300_000),
    case("suppose we needed 2m, could we get it?"),
    case("the repayment period would be 4 years", term_years=4.0),
    case("can we borrow for 7 years?", term_years=7.0),
    case("we'd need around seven years to pay it back", term_years=7.0),
    case("we have a 10 year lease on our building"),
    case("we have a 3 year contract with the ccg", trading=YES),
    case(
        "we've been around for 2 years and want to borrow 300k over 3 years",
        trading=YES,
        trading_since="2 years",
        amount=300_000,
        term_years=3.0,
    ),
]

CORRECTIONS = [
    case("sorry, I meant 700k, not 500k", amount=700_000),
    case("make that three years", term_years=3.0),
    case("not 500k but 600k", amount=600_000),
    case("actually we need 450k rather than 400k", amount=450_000),
    case("I said 300k but I meant 350k", amount=350_000),
    case("change the amount to 800k", amount=800_000),
    case("£550,000, not £500,000", amount=550_000),
    case("sorry, make that 5 years not 4", term_years=5.0),
    case("i meant 2.5 years", term_years=2.5),
    case(
        "actually we've been trading for 3 years not 2",
        trading=YES,
        trading_since="3 years",
    ),
    # A correction that names the answer it changes, asked about something else
    case(
        "Correction on services: the day centre shut, so it's now home care for older people",
        "investment_purpose",
        services="home care for older people",
        sector="social_care",
    ),
    case("one change - the amount: £450k", "services", amount=450_000),
    case(
        "it's podiatry we provide, not physiotherapy",
        "investment_purpose",
        services="podiatry",
        sector="health",
    ),
]

SEVERAL = [
    case(
        "we're a launched CIC that spun out of the NHS, we need about £350k over four years "
        "for a new rostering system — can we apply?",
        trading=YES,
        spun_out=YES,
        origin="the NHS",
        amount=350_000,
        term_years=4.0,
        purpose="a new rostering system",
        purpose_is_technology=YES,
    ),
    case(
        "hi we r a cic spun out frm the nhs trust in 2015, been tradin 4 yrs, need 500k 4 a new "
        "system",
        spun_out=YES,
        origin="the nhs trust in 2015",
        spun_out_year=2015,
        trading=YES,
        trading_since="4 years",
        amount=500_000,
        purpose="a new system",
        purpose_is_technology=YES,
    ),
    case(
        "Hi, I'm Sam from Brightpath Ltd. We spun out of Leeds City Council back in 2016 and "
        "provide home care.",
        organisation_name="Brightpath Ltd",
        spun_out=YES,
        origin="Leeds City Council back in 2016",
        spun_out_year=2016,
        trading=YES,
        trading_since="2016",
        services="home care",
        sector="social_care",
    ),
    case(
        "We're Riverside Care, a CIC that spun out of the local NHS trust in 2014. We've been "
        "trading since 2015 and want £600k to replace our paper records, repaid over 5 years.",
        organisation_name="Riverside Care",
        spun_out=YES,
        origin="the local NHS trust in 2014",
        spun_out_year=2014,
        trading=YES,
        trading_since="2015",
        amount=600_000,
        purpose="replace our paper records",
        purpose_is_technology=YES,
        term_years=5.0,
    ),
    case(
        "we're still setting up but we'll need around 300k for laptops, can a pre-launch "
        "group apply?",
        trading=NO,
        amount=300_000,
        purpose="laptops",
        purpose_is_technology=YES,
    ),
    case(
        "WE ARE A CIC THAT SPUN OUT OF THE COUNCIL AND WE PROVIDE SUPPORTED LIVING",
        spun_out=YES,
        origin="THE COUNCIL",
        services="SUPPORTED LIVING",
        sector="social_care",
    ),
    case(
        "does the fund lend to charities? we've been trading since 2010 and deliver speech therapy",
        trading=YES,
        trading_since="2010",
        services="speech therapy",
        sector="health",
    ),
]

# Names without a legal suffix where a sentence starts, services after "trading, ...", and
# amount ranges: one that straddles a loan limit is "not sure", the team's to discuss.
NEW_PHRASINGS = [
    case("Hi, this is Kestrel Community Health.", organisation_name="Kestrel Community Health"),
    case(
        "Kestrel Community Health here, we'd like to check eligibility.",
        organisation_name="Kestrel Community Health",
    ),
    case(
        "Ashgrove Therapies spun out of the local trust.",
        organisation_name="Ashgrove Therapies",
        spun_out=YES,
        origin="the local trust",
    ),
    case("Our name is Foxglove Care.", organisation_name="Foxglove Care"),
    case("Hi - Sam here from Heron Therapies.", organisation_name="Heron Therapies"),
    case(
        "I run a small social enterprise called Bramble Health.",
        organisation_name="Bramble Health",
    ),
    case("Local Partnerships is a company, isn't it?"),
    case("We used to be the council's reablement team.", spun_out=YES, origin="the council"),
    case("our founders worked for the local NHS trust", spun_out=YES, origin="the local NHS trust"),
    case(
        "We were the nursing arm of Westshire PCT before going independent.",
        spun_out=YES,
        origin="Westshire PCT",
    ),
    case("staff from the council visit us"),
    case(
        "Since then we have been delivering community rehabilitation services to the CCG.",
        services="community rehabilitation services",
        sector="health",
    ),
    case("Kestrel NHS Trust", "origin", spun_out=YES, origin="Kestrel NHS Trust"),
    case("Kestrel NHS Trust", "organisation_name"),
    case(
        "Honestly I'm not sure we could repay in 5 years.",
        "can_repay",
        term_years=5,
        term_doubted=True,
    ),
    case("our founders worked for a software house"),
    case("I'm calling from Brightpath Health.", organisation_name="Brightpath Health"),
    case(
        "We run Brightpath Health, a physio service.",
        organisation_name="Brightpath Health",
        services="physio service",
        sector="health",
    ),
    case("My name is Jo Smith and I run Oakfield Care.", organisation_name="Oakfield Care"),
    case("Jo Smith, director at Brightpath Health.", organisation_name="Brightpath Health"),
    case("Organisation: Brightpath Health", organisation_name="Brightpath Health"),
    case(
        "We're the Brightpath Health Partnership", organisation_name="Brightpath Health Partnership"
    ),
    case("We spun out of Bristol Community Health", spun_out=YES),
    case("Hi, this is Sam Jones."),
    case(
        "We've been trading for four years, providing telecare and home monitoring for older "
        "people.",
        trading=YES,
        trading_since="four years",
        services="telecare and home monitoring for older people",
        sector="social_care",
    ),
    case("Yes, that's all correct.", "services"),
    case("somewhere between £200k and £300k", "amount", amount_range=(200_000, 300_000)),
    case("it'll be £1-1.5m", "amount", amount_range=(1_000_000, 1_500_000)),
    case("we need 300k to 400k", amount=300_000),
    case("we need between £100k and £200k", amount=200_000),
    case("between 1.2m and 1.5m", "amount", amount=1_200_000),
]

# Facts listed without verbs, names anywhere, and a body named apart from the spin-out.
LISTED = [
    case(
        "Eligibility check please: Brookfield Therapies CIC, ex-NHS, trading 3 yrs, "
        "community physiotherapy and falls prevention",
        organisation_name="Brookfield Therapies CIC",
        spun_out=YES,
        origin="NHS",
        trading=YES,
        trading_since="3 years",
        services="community physiotherapy and falls prevention",
        sector="health",
    ),
    case(
        "Good morning, Alder Vale Community Interest Company here, keen to know if we qualify.",
        organisation_name="Alder Vale Community Interest Company",
    ),
    case(
        "could you check us - Tarnside Wellbeing Collective?",
        organisation_name="Tarnside Wellbeing Collective",
    ),
    case(
        "We're ex-council carers from Kirklees MBC.",
        spun_out=YES,
        origin="Kirklees MBC",
    ),
    case(
        "We're a staff mutual that came out of Tees and Esk Valley NHS Foundation Trust",
        spun_out=YES,
        origin="Tees and Esk Valley NHS Foundation Trust",
    ),
    case(
        "we were the district nursing service in Dorset's NHS until we spun out",
        spun_out=YES,
        origin="Dorset's NHS",
    ),
    case(
        "Neither of us has ever worked in the NHS, we set the firm up after banking.",
        spun_out=NO,
    ),
    case(
        "Yes we trade. Hospice at home and bereavement support.",
        "trading",
        trading=YES,
        services="Hospice at home and bereavement support",
        sector="health",
    ),
    case(
        "Wound care, continence advice and a leg ulcer clinic. We'd like to upgrade our "
        "clinical IT.",
        "services",
        services="Wound care, continence advice and a leg ulcer clinic",
        sector="health",
        purpose="upgrade our clinical IT",
        purpose_is_technology=YES,
    ),
    case(
        "new scheduling software and handheld devices for the nurses, £420k, 4 years",
        "investment_purpose",
        purpose="new scheduling software and handheld devices for the nurses",
        purpose_is_technology=YES,
        amount=420_000,
        term_years=4,
    ),
    case(
        "We have been open since then, giving day care to older people.",
        trading=YES,
        services="day care",
        sector="social_care",
    ),
    case(
        "we sell a booking app to dentists, 2 years trading", trading=YES, trading_since="2 years"
    ),
    case("What home care services does the fund support?"),
    case(
        "We're Tidemill Health CIC, set up by three podiatrists from Wessex Community NHS Trust.",
        organisation_name="Tidemill Health CIC",
        spun_out=YES,
        origin="Wessex Community NHS Trust",
    ),
    case(
        "We've been going ever since, delivering school nursing to children across the county.",
        services="school nursing",
        sector="health",
    ),
    case("Name's Larkspur Therapies.", organisation_name="Larkspur Therapies"),
    case(
        "Some of our founders worked for the health board, others didn't - not sure that counts "
        "as a spin-out.",
        spun_out=UNSURE,
        origin="the health board",
    ),
    case(
        "we'd use the loan to pay the salaries of two new carers for a year",
        "investment_purpose",
        purpose="the salaries of two new carers for a year",
        purpose_is_technology=NO,
    ),
    case(
        "Going since 2012 - falls clinics and home visits for NHS patients.",
        trading=YES,
        trading_since="2012",
        services="falls clinics and home visits",
        sector="health",
    ),
    case(
        "My company name is Greenway Care Partnership.",
        organisation_name="Greenway Care Partnership",
    ),
    case(
        "sorry, one correction: the term would be 4 years, not 3",
        "spun_out",
        term_years=4,
    ),
]

ALL_CASES = (
    LISTED
    + NEW_PHRASINGS
    + NAMES
    + SPIN_OUTS
    + SPIN_OUT_DETAILS
    + TRADING
    + SERVICES
    + PURPOSES
    + AMOUNTS_AND_TERMS
    + CORRECTIONS
)
ALL_CASES += SEVERAL


@pytest.mark.parametrize(("text", "asking", "expected"), ALL_CASES)
def test_extract_facts(text: str, asking: str | None, expected: dict[str, object]) -> None:
    assert extract_facts(text, asking).found() == expected


def test_there_are_enough_cases() -> None:
    assert len(ALL_CASES) >= 90


@pytest.mark.parametrize("text", ["yes", "no", "not sure", "ok", "", "   ", "?!?!", "£", "k"])
def test_bare_replies_without_a_question_say_nothing(text: str) -> None:
    assert extract_facts(text) == ApplicantFacts()


@pytest.mark.parametrize(
    "text",
    [
        "wat abt £££ 4 vanz n stuff??",
        "we we we our our 2014 2015 2016 yrs yrs",
        "if if if what if, unless; suppose",
        "1" * 500,
        "£" + "9" * 40,
        "spun out of " * 50,
        "ÄÖÜ ǅ İstanbul ﬁnance 💷💷 we’re “Ünïcode Care CIC”",
    ],
)
def test_odd_input_does_not_crash(text: str) -> None:
    assert isinstance(extract_facts(text), ApplicantFacts)
    assert isinstance(is_correction(text), bool)


CORRECTION_TEXTS = [
    "sorry, my name is Joanna, not Jo",
    "whoops - the email is jo@example.org",
    "actually it's 400k",
    "sorry, I meant 700k",
    "make that three years",
    "not 500k but 600k",
    "600k, not 500k",
    "correction: we launched in 2017",
    "I got that wrong, it's five years",
    "change the amount to 450k",
]
NOT_CORRECTIONS = [
    "we need 500k",
    "we're not trading yet",
    "we provide home care, not nursing",
    "is 3-5 years the term?",
]


@pytest.mark.parametrize("text", CORRECTION_TEXTS)
def test_is_correction(text: str) -> None:
    assert is_correction(text)


@pytest.mark.parametrize("text", NOT_CORRECTIONS)
def test_is_not_correction(text: str) -> None:
    assert not is_correction(text)


def test_found_lists_only_the_fields_read() -> None:
    facts = ApplicantFacts(amount=400_000, trading=YES)
    assert facts.found() == {"trading": YES, "amount": 400_000}
    assert ApplicantFacts().found() == {}


def test_merged_keeps_older_facts_and_lets_newer_ones_win() -> None:
    older = ApplicantFacts(organisation_name="Riverside Care CIC", amount=500_000, term_years=5.0)
    newer = ApplicantFacts(amount=700_000, trading=YES)
    merged = older.merged(newer)
    assert merged == ApplicantFacts(
        organisation_name="Riverside Care CIC", amount=700_000, term_years=5.0, trading=YES
    )
    assert older.amount == 500_000  # frozen: merging makes a new object


def test_merging_a_conversation() -> None:
    facts = ApplicantFacts()
    for text, asking in [
        ("we're Oakbridge Care CIC and we need 500k", None),
        ("we left the council in 2016", "spun_out"),
        ("sorry, I meant 700k, not 500k", None),
    ]:
        facts = facts.merged(extract_facts(text, asking))
    assert facts.organisation_name == "Oakbridge Care CIC"
    assert facts.spun_out is YES
    assert facts.spun_out_year == 2016
    assert facts.amount == 700_000


@pytest.mark.parametrize(
    ("services", "sector"),
    [
        ("physiotherapy", "health"),
        ("nursing homes", "social_care"),
        ("primary care", "health"),
        ("dementia care", "social_care"),
        ("integrated care", "health_and_social_care"),
        ("reablement and district nursing", "health_and_social_care"),
        ("grounds maintenance", "other"),
    ],
)
def test_classify_sector(services: str, sector: str) -> None:
    assert classify_sector(services) == sector


@pytest.mark.parametrize(
    ("purpose", "answer"),
    [
        ("e-rostering software", YES),
        ("a new IT system", YES),
        ("a ventilation system", NO),
        ("salaries", NO),
        ("laptops and a minibus", UNSURE),
        ("tablets and laptops for our staff", YES),
        ("hiring more staff", NO),
        ("growing the business", None),
    ],
)
def test_classify_purpose(purpose: str, answer: Answer | None) -> None:
    assert classify_purpose(purpose) is answer


def test_extract_facts_is_fast() -> None:
    texts = [str(param.values[0]) for param in ALL_CASES]
    extract_facts(texts[0])
    extract_facts.cache_clear()  # time the reading, not the cache of earlier tests' messages
    start = time.perf_counter()
    for text in texts:
        extract_facts(text)
    per_message = (time.perf_counter() - start) / len(texts)
    assert per_message < 0.005


def test_a_filler_before_other_facts_is_no_purpose() -> None:
    facts = extract_facts(
        "fine. we've been trading since 2016, providing hospice care at home.",
        "investment_purpose",
    )
    assert facts.purpose is None
    assert facts.services == "hospice care at home"


def test_who_set_the_organisation_up_is_no_service() -> None:
    facts = extract_facts(
        "Yes, we spun out of Eastvale NHS Trust; the district nursing team set it up.", "spun_out"
    )
    assert facts.services is None


def test_a_message_read_twice_is_read_once() -> None:
    extract_facts.cache_clear()
    first = extract_facts("We're Hollybrook Care CIC, trading since 2019.", "services")
    second = extract_facts("We're Hollybrook Care CIC, trading since 2019.", "services")

    assert second is first
    assert extract_facts.cache_info().hits == 1
