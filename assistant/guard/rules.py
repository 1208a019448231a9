"""Editable regex rules per route, loaded from prompts/guardrails/rules.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError
from assistant.guard.normalize import TypoFixer
from assistant.retrieve.asked import message_sentences

__all__ = ["Rule", "RuleSet"]

# review22: a clause where something is done now to a thing "i used to" have ("swallowed the
# pills i used to take") is no history; its cue words stay
_ACTED_ON = re.compile(
    r"\b(?:took|taken|swallowed|overdosed|downed|popped|drank|injected|shot|cut|gave|wrote|"
    r"finished|left|found)\b.{0,60}\b(?:i|we|he|she|they) used to\b"
)

# Whole words of a pattern become typo targets; a stem (`suicid\w*`, `aphasi(?:a|c)`) does not,
# or a misspelt word would be "corrected" to the stem and match nothing else.
_WORD = re.compile(r"(?<![a-z])[a-z]{5,}(?![a-z#(\[{])")


@dataclass(frozen=True)
class Rule:
    """One rule: every pattern must match the normalised text, and no `unless` pattern."""

    route: str
    patterns: tuple[re.Pattern[str], ...]
    source: str
    unless: tuple[re.Pattern[str], ...] = ()

    def matches(self, text: str) -> bool:
        """True when every pattern is found in the text and no `unless` pattern is."""
        return all(p.search(text) for p in self.patterns) and not any(
            u.search(text) for u in self.unless
        )


@dataclass
class RuleSet:
    """Rules by route, health terms for scope, and the typo fixer built from the keywords."""

    rules: dict[str, list[Rule]]
    health: re.Pattern[str]
    fixer: TypoFixer
    gates: dict[str, re.Pattern[str]] = field(default_factory=dict)
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)
    absent: re.Pattern[str] | None = None  # symptoms said to be absent ("no fever")
    background: re.Pattern[str] | None = None  # clauses told as past history ("years ago")
    recovered: re.Pattern[str] | None = None  # the history is over ("in a good place now")
    recurring: re.Pattern[str] | None = None  # ...or is not ("again", "lately")
    told_now: re.Pattern[str] | None = None  # a history clause that tells of now ("like", "is")
    asked: re.Pattern[str] | None = None  # a question on the treatment ("does ketamine ...?")
    practical: re.Pattern[str] | None = None  # a question on the visit ("will the nurses ...?")
    denied: re.Pattern[str] | None = None  # intent denied outright ("not suicidal, just sad")
    figurative: re.Pattern[str] | None = None  # figures of speech ("I'd kill for a nap")
    path: Path | None = None
    known: list[str] = field(default_factory=list, repr=False)
    english: Iterable[str] = field(default_factory=frozenset, repr=False)
    _mtime: float = field(default=0.0, repr=False)

    def match(self, route: str, text: str) -> Rule | None:
        """The first rule of a route matching the normalised text."""
        text = self.present(route, text)
        return next((r for r in self.rules.get(route, []) if r.matches(text)), None)

    def present(self, route: str, text: str) -> str:
        """The text as the route's rules read it: for emergency and crisis, without a history
        the message says is over (`remitted`); for emergency, also without the symptoms it says
        are absent ("no difficulty breathing", "denies chest pain")."""
        if route in ("emergency", "crisis"):
            text = self.remitted(text)
        return self._stated(route, text)

    def _stated(self, route: str, text: str) -> str:
        """For emergency, the text without the symptoms it says are absent."""
        if route != "emergency" or self.absent is None:
            return text
        return self.absent.sub(" ", text)

    def remitted(self, text: str) -> str:
        """The text without its clauses told as past history, when the message says that
        history is over ("attempted when I was 19. I'm in a good place now"), names nothing
        that recurs ("again", "lately"), and what is left names no risk cue word. A history
        clause that tells of now or compares with it ("is bleeding like back in 2016") stays."""
        if not (self.background and self.recovered and self.recovered.search(text)):
            return text
        if self.recurring is not None and self.recurring.search(text):
            return text
        now = self.told_now
        rest = self.background.sub(
            lambda m: m.group(0) if now is not None and now.search(m.group(0)) else " ", text
        )
        said = self._unasked(rest)
        if any(p.search(said) for p in self.cues.values()):
            return text
        return rest

    def _unasked(self, text: str) -> str:
        """The text without its questions on the treatment ("does ketamine raise stroke
        risk?"): a cue word asked about there is the topic, not a risk told now."""
        if self.asked is None:
            return text
        parts = message_sentences(text)
        return " ".join(p for p in parts if not (p.endswith("?") and self.asked.search(p)))

    def unhistoried(self, text: str) -> str | None:
        """The text without the history it tells as over (`remitted`) and without its
        sentences on the visit's practicalities that name no cue word (`practical`), and
        without its figures of speech ("I'd kill for a nap") and its outright denial ("I'm
        not suicidal"), each left out only when the rest names no crisis cue word; for the
        learned head to read again; None when the text tells none of them."""
        rest = self.remitted(text)
        plain = self._uncued(self.figurative, rest)
        plain = self._uncued(self.denied, plain)
        if rest == text:
            return None if plain == text else plain
        rest = plain
        cues = self.cues.values()
        return " ".join(
            p
            for p in message_sentences(rest)
            if not (
                self.practical is not None
                and self.practical.search(p)
                and not any(c.search(p) for c in cues)
            )
        )

    def _uncued(self, pattern: re.Pattern[str] | None, text: str) -> str:
        """The text without what the pattern matches (a figure of speech, an outright
        denial), when what is left names no crisis cue word: "I'm safe, the pills are in the
        drawer" and "my back is killing me, I want it to kill me" stay whole."""
        if pattern is None:
            return text
        rest = pattern.sub(" ", text)
        crisis = self.cues.get("crisis")
        return text if crisis is not None and crisis.search(rest) else rest

    def gate_open(self, route: str, text: str) -> bool:
        """True when the classifier may fire for a route (its gate pattern matches, if any)."""
        gate = self.gates.get(route)
        return gate is None or bool(gate.search(text))

    def cued(self, text: str) -> frozenset[str]:
        """Routes whose risk cue words the normalised text names (emergency, crisis), outside
        clauses told as past history ("an overdose years ago", "history of anaphylaxis"):
        a cue word there is background, not a second signal of risk now."""
        if self.background is not None:  # every history clause out: nothing left to remit
            text = self.background.sub(
                lambda m: m.group(0) if _ACTED_ON.search(m.group(0)) else " ", text
            )
        return frozenset(r for r, p in self.cues.items() if p.search(self._stated(r, text)))

    def mentions_health(self, text: str) -> bool:
        """True when the normalised text names a health word."""
        return bool(self.health.search(text))

    @classmethod
    def load(
        cls, path: Path | str, known_words: Iterable[str] = (), english: Iterable[str] = ()
    ) -> RuleSet:
        """Parse and compile a rules file; a bad pattern is a clear ConfigError."""
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"guardrail rules file {path} cannot be read: {exc}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"guardrail rules file {path} is not valid YAML: {exc}") from None
        known = list(known_words)
        rs = cls.parse(data, str(path), known, english)
        rs.path = path
        rs.known = known
        rs.english = english
        rs._mtime = path.stat().st_mtime
        return rs

    @classmethod
    def parse(
        cls,
        data: dict[str, Any],
        where: str = "rules",
        known: Iterable[str] = (),
        english: Iterable[str] = (),
    ) -> RuleSet:
        """Build a rule set from parsed YAML."""
        if not isinstance(data, dict) or not isinstance(data.get("routes"), dict):
            raise ConfigError(f"{where}: expected a mapping with a 'routes' section")
        macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
        words: set[str] = {str(w) for w in data.get("keywords") or []}

        def compile_one(src: str, route: str, i: int, targets: bool = True) -> re.Pattern[str]:
            text = str(src)
            for name, value in macros.items():
                text = text.replace("{" + name + "}", value)
            if targets:  # an `unless` word is no typo target: "seizes" is no typo of "series"
                bare = re.sub(r"\\[a-z]", " ", re.sub(r"\\w", "#", str(src)))
                words.update(_WORD.findall(bare))
            try:
                return re.compile(text)
            except re.error as exc:
                msg = f"{where}: routes.{route}[{i}] is not a valid regex: {exc}"
                raise ConfigError(msg) from None

        rules: dict[str, list[Rule]] = {}
        for route, entries in data["routes"].items():
            out: list[Rule] = []
            for i, entry in enumerate(entries or []):
                parts = entry.get("all") if isinstance(entry, dict) else [entry]
                if not parts:
                    raise ConfigError(f"{where}: routes.{route}[{i}] has no pattern")
                pats = tuple(compile_one(p, route, i) for p in parts)
                unless = (entry.get("unless") or []) if isinstance(entry, dict) else []
                nots = tuple(compile_one(u, route, i, targets=False) for u in unless)
                out.append(Rule(str(route), pats, f"{route}[{i}]", nots))
            rules[str(route)] = out
        gates = {
            str(r): compile_one(str(p), f"classifier_gates.{r}", 0)
            for r, p in (data.get("classifier_gates") or {}).items()
        }
        cues = {
            str(r): compile_one(str(p), f"risk_cues.{r}", 0)
            for r, p in (data.get("risk_cues") or {}).items()
        }
        terms = [re.escape(str(t).lower()) for t in data.get("health_terms") or []]
        alts = ([r"\b(?:" + "|".join(terms) + ")"] if terms else []) + [
            f"(?:{p})" for p in data.get("health_patterns") or []
        ]
        try:
            health = re.compile("|".join(alts)) if alts else re.compile(r"(?!)")
        except re.error as exc:
            raise ConfigError(f"{where}: health_patterns has an invalid regex: {exc}") from None
        absent = data.get("absent_symptoms")
        absent_re = compile_one(str(absent), "absent_symptoms", 0) if absent else None
        past = data.get("background_history")
        past_re = compile_one(str(past), "background_history", 0) if past else None
        over = data.get("remitted_history") or {}
        parts = ("recovered", "recurring", "told_now", "asked", "practical")
        if not isinstance(over, dict) or set(over) - set(parts):
            msg = f"{where}: remitted_history maps {', '.join(parts)} to patterns"
            raise ConfigError(msg)
        ended, back, now, asked, practical = (
            compile_one(str(over[k]), f"remitted_history.{k}", 0, targets=False)
            if over.get(k)
            else None
            for k in parts
        )
        figures = data.get("figures_of_speech")
        figurative = (
            compile_one(str(figures), "figures_of_speech", 0, targets=False) if figures else None
        )
        denial = data.get("denied_intent")
        denied = compile_one(str(denial), "denied_intent", 0, targets=False) if denial else None
        typos = {str(k): str(v) for k, v in (data.get("typos") or {}).items()}
        known_set = {w for w in known if w.isalpha()}
        fixer = TypoFixer(words, typos, known=known_set, english=english)
        return cls(
            rules,
            health,
            fixer,
            gates,
            cues,
            absent_re,
            past_re,
            ended,
            back,
            now,
            asked,
            practical,
            denied,
            figurative,
        )

    def reloaded(self) -> RuleSet:
        """This rule set, or a fresh one when the content team edited the file."""
        if self.path is None or not self.stale():
            return self
        return RuleSet.load(self.path, self.known, self.english)

    def stale(self) -> bool:
        """True when the rules file changed on disk since it was loaded."""
        if self.path is None:
            return False
        try:
            return self.path.stat().st_mtime != self._mtime
        except OSError:
            return False
