"""debtnegotiation-cn: the China jurisdiction pack, as dated data with citations.

Four plugins, registered through entry points in the group ``debtnegotiation``:

* ``cn-rate-ceilings`` (:mod:`debtnegotiation_cn.ceilings`): reviews every CNY proposal's
  annualised rate (PBOC 2021 No. 3) against 4 × the one-year LPR for private lending and
  the 24 % and 36 % lines;
* ``cn-contract-rate`` (:mod:`debtnegotiation_cn.contract`): reviews the existing
  contract's rate, once per case, against the same lines, and says what each means for
  the status quo (法释〔2020〕17号 Art. 25; 法发〔2017〕22号 item 2);
* ``cn-personalised-installment`` (:mod:`debtnegotiation_cn.installment`): the
  credit-card personalised installment of Art. 70 of CBRC Order [2011] No. 2 (个性化分期,
  at most 60 months);
* ``cn-collection-conduct`` (:mod:`debtnegotiation_cn.collection`): the 2026 CBA
  collection rules (:data:`COLLECTION_RULES`: hours, daily attempts)
  for every CNY debt, through ``debtneg_contact_rules``, for the negotiation log.

The LPR table is :data:`ONE_YEAR_LPR` (:mod:`debtnegotiation_cn.lpr`).
"""

from __future__ import annotations

from debtnegotiation_cn.ceilings import CEILINGS, RateCeiling
from debtnegotiation_cn.collection import COLLECTION_GUIDELINE_ISSUED, COLLECTION_RULES
from debtnegotiation_cn.installment import AGREEMENT_CONTENTS, MAX_MONTHS
from debtnegotiation_cn.lpr import ONE_YEAR_LPR, LprFixing, LprLookup, lpr_on

__all__ = [
    "AGREEMENT_CONTENTS",
    "CEILINGS",
    "COLLECTION_GUIDELINE_ISSUED",
    "COLLECTION_RULES",
    "MAX_MONTHS",
    "ONE_YEAR_LPR",
    "LprFixing",
    "LprLookup",
    "RateCeiling",
    "lpr_on",
]
