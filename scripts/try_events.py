"""Print the events newsledger codes in sentences given on the command line (a lexicon
author's tool).

    python scripts/try_events.py "Russia launched drones at Kyiv." "Japan praised Chile."
"""

from __future__ import annotations

import sys

from newsledger import nlp
from newsledger.events import default_coder, ontology, pairs
from newsledger.pipeline import Pipeline


def main() -> None:
    resolver = Pipeline().resolver()
    coder = default_coder()
    for text in sys.argv[1:]:
        doc = next(nlp.parse([text]))
        actors = resolver.resolve(doc, None)
        print(f">> {text}")
        for sentence in doc.sents:
            for found in coder.sentence_events(sentence, actors):
                name = ontology()[found.code].name
                for source, target in pairs(found, coder.is_symmetric(found.code)):
                    print(f"   {found.code:5} {source.actor.code if source else '-':10} -> "
                          f"{target.actor.code if target else '-':10} "
                          f"{'NEG ' if found.negated else ''}[{found.trigger.text}] {found.rule}"
                          f"  ({name})")


if __name__ == "__main__":
    main()
