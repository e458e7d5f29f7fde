"""Moderators declared in the project's TOML model file (``[[moderators]]``).

A moderator is a construct measured by its own items (``type = "latent"``, the default) or a
data column (``type = "observed"``) that moderates one structural path ``y ~ x``; its
hypothesis (``id``, ``sign``, ``en``/``zh``) is about the interaction ``y ~ x:code``. The
moderator stays out of the main model, so the measurement model, the structural model and
H1..Hn keep their numbers; :func:`moderation_syntax` gives the model with it::

    [[moderators]]
    code = "SWC"
    name = { en = "Switching cost", zh = "转换成本" }
    items = [ { code = "SWC1", en = "...", zh = "..." }, ... ]
    path = "LOY ~ SAT"          # or x = "SAT" and y = "LOY"
    id = "H15"
    sign = "-"
    en = "Switching cost weakens the positive effect of satisfaction on loyalty."
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loyaltysem.base.errors import InstrumentError
from loyaltysem.survey.spec import Hypothesis, Item, _names

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Moderator:
    code: str
    name: dict[str, str]
    items: tuple  # of instrument.Item (empty for an observed moderator)
    x: str
    y: str
    kind: str = "latent"  # "latent" (items, product indicators) or "observed" (a column)
    id: str | None = None
    sign: str = "two-sided"
    text: dict[str, str] = field(default_factory=dict)

    @property
    def term(self) -> str:
        """The interaction term as the estimates name it: ``x:code``."""
        return f"{self.x}:{self.code}"

    @property
    def item_codes(self) -> list[str]:
        return [it.code for it in self.items]

    def label(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.code

    @property
    def hypothesis(self):
        """The moderation hypothesis as an :class:`~loyaltysem.survey.instrument.Hypothesis` on the
        path ``y ~ x:code`` (None without an id)."""
        if not self.id:
            return None
        return Hypothesis(self.id, self.y, self.term, self.sign, dict(self.text))


def moderators_from_toml(raw: list, file: str, constructs: list, seen: set[str]) -> list:
    """Moderators of a validated TOML model file (``seen``: item codes already used)."""
    codes = {c.code for c in constructs}
    out = []
    for m in raw or []:
        code = str(m["code"])
        if code in codes:
            raise InstrumentError(f"moderator {code} is also a construct", file=file)
        x, y = m.get("x"), m.get("y")
        if "path" in m:
            y, x = (s.strip() for s in str(m["path"]).split("~", 1))
        for role, name in (("x", x), ("y", y)):
            if name not in codes:
                raise InstrumentError(
                    f"moderator {code}: {role} = '{name}' is not a construct of the model",
                    file=file,
                )
        items = []
        for it in m.get("items", []):
            icode = it.get("code") if isinstance(it, dict) else str(it)
            if icode in seen:
                raise InstrumentError(f"item {icode} appears twice", file=file)
            seen.add(icode)
            if isinstance(it, dict):
                text = {k: str(v) for k, v in it.items() if k in LANGS}
                items.append(
                    Item(icode, code, text, bool(it.get("reverse", False)), it.get("column"))
                )
            else:
                items.append(Item(icode, code))
        out.append(
            Moderator(
                code=code,
                name=_names(m.get("name"), f"moderator {code}", file) or {"en": code},
                items=tuple(items),
                x=str(x),
                y=str(y),
                kind=str(m.get("type", "latent")),
                id=str(m["id"]) if m.get("id") else None,
                sign=str(m.get("sign", "two-sided")),
                text={k: str(v) for k, v in m.items() if k in LANGS},
            )
        )
    return out


def moderation_syntax(instrument, moderator: Moderator | str | None = None) -> str:
    """The instrument's full model plus the moderator: its measurement (latent) and
    ``y ~ code + x:code`` (fitted by :func:`loyaltysem.sem` with product indicators).

    Example:
        >>> from loyaltysem.survey.instrument import read_instrument
        >>> inst = read_instrument("models/online_loyalty.toml")
        >>> moderation_syntax(inst).splitlines()[-2:]
        ['SWC =~ SWC1 + SWC2 + SWC3', 'LOY ~ SWC + SAT:SWC']
    """
    mods = instrument.moderators
    if not mods:
        raise InstrumentError("the model file declares no [[moderators]]", file=instrument.source)
    if moderator is None:
        mod = mods[0]
    elif isinstance(moderator, str):
        found = [m for m in mods if moderator in (m.code, m.id)]
        if not found:
            raise InstrumentError(f"no moderator '{moderator}'", file=instrument.source)
        mod = found[0]
    else:
        mod = moderator
    lines = [instrument.model_syntax().rstrip("\n")]
    if mod.kind == "latent":
        lines.append(f"{mod.code} =~ " + " + ".join(mod.item_codes))
    lines.append(f"{mod.y} ~ {mod.code} + {mod.term}")
    return "\n".join(lines) + "\n"


def moderation_hypotheses(instrument) -> list:
    """The hypotheses of the declared moderators (path ``y ~ x:code``)."""
    return [m.hypothesis for m in instrument.moderators if m.hypothesis is not None]
