"""Build ``src/newsledger/data/events/cameo.tsv``, newsledger's CAMEO ontology, from the public
CAMEO codebook facts (codes, Goldstein scores, PLOVER mapping) in ``../shared/data/cameo``.

    python scripts/build_cameo_table.py [../shared/data/cameo]

Names missing from that table (statements 01x and appeals 02x, and the roots) are the CAMEO
codebook's own names, given here. PLOVER has no type for public statements (01x); appeals (02x)
map to PLOVER's REQUEST, as demands (10x) do.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newsledger" / "data" / "events" / "cameo.tsv"

NAMES = {
    "01": "Make public statement", "010": "Make statement, not specified below",
    "011": "Decline comment", "012": "Make pessimistic comment",
    "013": "Make optimistic comment", "014": "Consider policy option",
    "015": "Acknowledge or claim responsibility", "016": "Deny responsibility",
    "017": "Engage in symbolic act", "018": "Make empathetic comment", "019": "Express accord",
    "02": "Appeal", "020": "Make an appeal or request, not specified below",
    "021": "Appeal for material cooperation", "0211": "Appeal for economic cooperation",
    "0212": "Appeal for military cooperation", "0213": "Appeal for judicial cooperation",
    "0214": "Appeal for intelligence", "022": "Appeal for diplomatic cooperation",
    "023": "Appeal for aid", "0231": "Appeal for economic aid", "0232": "Appeal for military aid",
    "0233": "Appeal for humanitarian aid", "0234": "Appeal for military protection or peacekeeping",
    "024": "Appeal for political reform", "0241": "Appeal for change in leadership",
    "0242": "Appeal for policy change", "0243": "Appeal for rights",
    "0244": "Appeal for change in institutions, regime", "025": "Appeal to yield",
    "0251": "Appeal for easing of administrative sanctions",
    "0252": "Appeal for easing of popular dissent", "0253": "Appeal for release of persons or property",
    "0254": "Appeal for easing of economic sanctions, boycott, or embargo",
    "0255": "Appeal for target to allow international involvement (non-mediation)",
    "0256": "Appeal for de-escalation of military engagement",
    "026": "Appeal to others to meet or negotiate", "027": "Appeal to others to settle dispute",
    "028": "Appeal to others to engage in or accept mediation",
}
PLOVER_FOR_ROOT = {"02": "REQUEST"}


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "cameo"
    rows = list(csv.DictReader((source / "cameo_codes_goldstein_plover.tsv").open(encoding="utf-8"),
                               delimiter="\t"))
    codebook = csv.DictReader((source / "plover_codebook.csv").open(encoding="utf-8"))
    modes = {(r["mode"] or "").strip().lower() for r in codebook} - {""}
    goldstein = {row["cameo_code"]: row["goldstein"] for row in rows}
    inherited = []
    out = []
    for row in rows:
        code = row["cameo_code"]
        name = row["description_from_CAMEO2PLOVER"].strip() or NAMES.get(code) or (
            row["root_name"].strip().capitalize() if len(code) == 2 else "")
        if not name:
            raise SystemExit(f"no name for CAMEO {code}")
        event = row["plover_event"].strip() or PLOVER_FOR_ROOT.get(row["root"], "")
        mode = row["plover_mode"].strip().lower()
        context = row["plover_context"].strip()
        if mode and mode not in modes:  # a context in the mode column of the source table
            context = ", ".join(part for part in (mode, context) if part)
            mode = ""
        score = row["goldstein"].strip()
        parent = code
        while not score and len(parent) > 2:  # a few sub-codes have none: take the parent's
            parent = parent[:-1]
            score = goldstein.get(parent, "").strip()
        if score != row["goldstein"].strip():
            inherited.append(f"{code} from {parent}")
        out.append([code, name, row["root"], row["quad_class_gdelt"], score, event, mode, context])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# newsledger's CAMEO ontology: every CAMEO event code (a string: '010' is not "
                     "'10'),\n# its name, root, quad class (1 verbal cooperation 01-05, 2 material "
                     "cooperation 06-08,\n# 3 verbal conflict 09-13, 4 material conflict 14-20), "
                     "Goldstein score, and PLOVER 2.0 event,\n# mode and context. Built by "
                     "scripts/build_cameo_table.py from the public CAMEO codebook facts.\n")
        if inherited:
            handle.write(f"# Goldstein scores taken from the parent code: {', '.join(inherited)}.\n")
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "name", "root", "quad_class", "goldstein", "plover_event",
                         "plover_mode", "plover_context"])
        writer.writerows(out)
    print(f"{len(out)} codes → {OUT}")


if __name__ == "__main__":
    main()
