"""Read PETRARCH/TABARI/Phoenix dictionaries as an extra source of actors and agents.

Users of PETRARCH keep the dictionaries they maintain. The formats, as far as actors and agents go:

Actors (``Phoenix.Countries.actors.txt``)::

    NORTH_KOREA  [PRK]              # a name and its code
    +PYONGYANG                      # a synonym of the entry above
    VLADIMIR_PUTIN_                 # codes on the following indented lines, with dates
        [RUSELI 700101-990809]      #   YYMMDD-YYMMDD (or YYYYMMDD), both inclusive
        [RUSGOV >080508]            #   from this date on
        [RUS <911226]               #   until this date
        [RUS]                       #   when no dated code applies

Words are joined by ``_`` or spaces; a name that does not end in ``_`` matches words that begin
with its last word ("ARGENTIN" → Argentina, Argentine). ``[A/B]`` gives two actors; ``[---]``
is a known name with no code. ``<!-- -->`` and ``#`` start comments.

Agents (``Phoenix.agents.txt``)::

    !PERSON! = MAN, MEN, WOMAN        # a substitution set
    FOREIGN_MINISTER [~GOVFRM]        # ~ after: the agent's code follows the actor's
    MSF {} [NGO~]                     # ~ before: it precedes; {} = no plural form
    ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]   # explicit plurals
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from pathlib import Path

from ..errors import ConfigError, Errors
from .kb import CASE_FIRST, Agent, Entry, KnowledgeBase, Role

_CODE_BLOCK = re.compile(r"\[([^\]]*)\]")
_DATE_RANGE = re.compile(r"^(\d{6}|\d{8})\s*-\s*(\d{6}|\d{8})$")


def read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(Errors.E303.format(path=path, line=0, detail=exc.strerror)) from None
    return re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def parse_date(value: str, path: Path, number: int) -> dt.date:
    """YYMMDD (years before 30 are 20xx) or YYYYMMDD."""
    try:
        if len(value) == 8:
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        year = int(value[:2])
        year += 2000 if year < 30 else 1900
        return dt.date(year, int(value[2:4]), int(value[4:]))
    except ValueError:
        raise ConfigError(Errors.E303.format(path=path, line=number,
                                             detail=f"bad date '{value}'")) from None


def parse_role(block: str, path: Path, number: int) -> Role | None:
    """One ``[CODE dates]`` block; None for the empty code ``---``."""
    parts = block.split(None, 1)
    if not parts:
        return None
    code, when = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if code.startswith(("<", ">")) or code[0].isdigit():
        raise ConfigError(Errors.E303.format(path=path, line=number,
                                             detail=f"code block without a code: [{block}]"))
    if code == "---" and not when:
        return None
    start = end = None
    compact = when.replace(" ", "")
    if compact.startswith(">"):
        start = parse_date(compact[1:], path, number)
    elif compact.startswith("<"):
        end = parse_date(compact[1:], path, number)
    elif compact:
        match = _DATE_RANGE.match(compact)
        if not match:
            raise ConfigError(Errors.E303.format(path=path, line=number,
                                                 detail=f"bad date range '{when}'"))
        start, end = parse_date(match.group(1), path, number), parse_date(match.group(2), path,
                                                                          number)
    return Role(code, start, end)


def _words(phrase: str) -> tuple[list[str], bool]:
    """Words of a dictionary phrase and whether its last word is a stem (no trailing ``_``)."""
    phrase = phrase.strip()
    exact = phrase.endswith("_")
    words = [w for w in re.split(r"[_\s]+", phrase) if w]
    return words, not exact


def load_actors(kb: KnowledgeBase, path: Path, tokenize) -> int:
    """Add the actors of a PETRARCH actor dictionary to ``kb``; returns how many.

    A malformed code block is skipped and recorded in ``kb.warnings`` with its file and line;
    the rest of the dictionary is read."""
    path = Path(path)
    count = 0
    current: dict | None = None

    def flush() -> None:
        nonlocal count, current
        if current and (current["roles"] or current["default"]):
            entry = Entry(current["name"], "petrarch", tuple(current["roles"]),
                          f"{path.name}:{current['line']}", default=current["default"],
                          priority=1)
            for variant in current["variants"]:
                words, stem = _words(variant)
                tokens = [t for w in words for t in (tokenize(w) or [w])]
                if tokens:
                    kb.names.add(tokens, entry, case=CASE_FIRST, stem=stem)
            kb.entries.append(entry)
            count += 1
        current = None

    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            if current is not None:
                current["variants"].append(stripped[1:].strip())
            continue
        if raw[:1] in (" ", "\t") and stripped.startswith("["):
            if current is not None:
                _add_blocks(current, stripped, path, number, kb.warnings)
            continue
        flush()
        name = _CODE_BLOCK.split(stripped, 1)[0].strip()
        if not name:
            continue
        current = {"name": name.replace("_", " ").strip().title(), "variants": [name],
                   "roles": [], "default": None, "line": number}
        _add_blocks(current, stripped[len(name):], path, number, kb.warnings)
    flush()
    return count


def _add_blocks(current: dict, text: str, path: Path, number: int,
                problems: list[str]) -> None:
    for block in _CODE_BLOCK.findall(text):
        try:
            role = parse_role(block.strip(), path, number)
        except ConfigError as error:
            problems.append(str(error))
            continue
        if role is None:
            continue
        if role.start is None and role.end is None:
            current["default"] = role.code
        else:
            current["roles"].append(role)


def load_agents(kb: KnowledgeBase, path: Path, tokenize) -> int:
    """Add the agents of a PETRARCH agents dictionary to ``kb``; returns how many."""
    path = Path(path)
    sets: dict[str, list[str]] = {}
    count = 0
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if re.match(r"^!\w+!\s*=", line):
            name, values = line.split("=", 1)
            sets[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        blocks = _CODE_BLOCK.findall(line)
        if not blocks:
            continue
        code = blocks[-1].replace(" ", "")
        head = _CODE_BLOCK.split(line, 1)[0]
        plural_match = re.search(r"\{([^}]*)\}", head)
        name = re.sub(r"\{[^}]*\}", "", head).strip()
        if not name or "~" not in code:
            continue
        prefix = code.endswith("~")
        sector = code.strip("~")
        for phrase in _expand(name, sets):
            words, stem = _words(phrase)
            agent = Agent(" ".join(words).lower(), sector, f"{path.name}:{number}",
                          prefix=prefix, priority=1)
            kb.add_agent(agent, lambda text: [t for w in text.split() for t in (tokenize(w) or [w])],
                         plurals=plural_match is None, stem=stem)
            count += 1
        if plural_match and plural_match.group(1).strip():
            for plural in plural_match.group(1).split(","):
                words, _ = _words(plural)
                kb.add_agent(Agent(" ".join(words).lower(), sector, f"{path.name}:{number}",
                                   prefix=prefix, priority=1), tokenize, plurals=False)
    return count


def _expand(name: str, sets: dict[str, list[str]]) -> list[str]:
    """Expand ``!SET!`` substitutions: CONGRESS!PERSON! → CONGRESSMAN, CONGRESSMEN, …"""
    parts = re.split(r"(![A-Z]+!)", name)
    choices = [sets.get(part, [part]) if part.startswith("!") else [part] for part in parts]
    return ["".join(combination) for combination in product(*choices)]
