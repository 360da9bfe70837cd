"""Which of the council's indicators each publisher's measure goes into, as a person writes it.

One link per line, `measure = INDICATOR_CODE`, for example `NI192 = ENV1`. The measure is the
publisher's code or name (everything before the last "="); blank lines and lines starting with
"#" are ignored. Measures that are not listed go into the indicator with the same code, if
there is one.
"""

from __future__ import annotations

from collections.abc import Collection

from goldthread.imports.problems import quote
from goldthread.imports.profiles.base import measure_key

EXAMPLE = "NI192 = ENV1"


class MappingError(ValueError):
    """A mapping that cannot be used; the message names the line."""


def parse_mapping(text: str, codes: Collection[str] | None) -> dict[str, str]:
    """{measure: indicator code}, with codes as the council writes them; or MappingError.

    With `codes` None the codes are not checked here: the import then reports a row for an
    indicator that does not exist (it may have been retired since the mapping was checked).
    """
    known = None if codes is None else {code.lower(): code for code in codes}
    found: dict[str, str] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        measure, equals, code = line.rpartition("=")
        measure, code = measure.strip(), code.strip()
        if not equals or not measure or not code:
            raise MappingError(
                f"Line {number}: write the measure, an equals sign and your indicator code, "
                f"like {EXAMPLE}."
            )
        if known is not None and code.lower() not in known:
            raise MappingError(f"Line {number}: there is no indicator with the code {quote(code)}.")
        key = measure_key(measure)
        if key in seen:
            raise MappingError(
                f"Line {number}: {quote(measure, 60)} is already linked on line {seen[key]}. "
                "Link each measure once."
            )
        seen[key] = number
        found[measure] = code if known is None else known[code.lower()]
    return found


def mapping_text(mapping: dict[str, str]) -> str:
    return "\n".join(f"{measure} = {code}" for measure, code in mapping.items())
