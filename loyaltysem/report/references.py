"""Sources of the cut-offs and methods the report cites, rendered as APA 7 (English) or
GB/T 7714-2015 author-year (Chinese, 著者-出版年制).

Texts cite a source as ``[[key]]``; :func:`cite` turns every marker into "(Author, year)" and
records the key, and :func:`reference_list` writes the entries of the keys cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Source:
    authors: tuple[tuple[str, str], ...]  # (family name, initials) or (full Chinese name, "")
    year: int
    title: str
    kind: str  # "J" journal article, "M" book, "A" chapter in an edited book
    container: str = ""  # journal, or the edited book
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    place: str = ""
    edition: str = ""
    editors: str = ""  # "K. A. Bollen & J. S. Long" (APA) for chapters
    editors_gbt: str = ""  # "BOLLEN K A, LONG J S" (GB/T 7714)
    zh: bool = False
    extra: dict = field(default_factory=dict)
    # a Chinese source in an English chapter (APA 7: romanised authors, the title in pinyin
    # with its English translation in brackets, the journal's English name)
    roman: tuple[tuple[str, str], ...] = ()
    title_roman: str = ""
    title_en: str = ""
    container_en: str = ""


def _a(*names: str) -> tuple[tuple[str, str], ...]:
    out = []
    for n in names:
        family, _, initials = n.partition(",")
        out.append((family.strip(), initials.strip()))
    return tuple(out)


SOURCES: dict[str, Source] = {
    "nunnally1978": Source(
        _a("Nunnally, J. C."), 1978, "Psychometric theory", "M",
        publisher="McGraw-Hill", place="New York", edition="2",
    ),
    "kaiser1974": Source(
        _a("Kaiser, H. F."), 1974, "An index of factorial simplicity", "J",
        "Psychometrika", "39", "1", "31-36",
    ),
    "bartlett1954": Source(
        _a("Bartlett, M. S."), 1954,
        "A note on the multiplying factors for various chi square approximations", "J",
        "Journal of the Royal Statistical Society: Series B", "16", "2", "296-298",
    ),
    "horn1965": Source(
        _a("Horn, J. L."), 1965, "A rationale and test for the number of factors in factor "
        "analysis", "J", "Psychometrika", "30", "2", "179-185",
    ),
    "fornell1981": Source(
        _a("Fornell, C.", "Larcker, D. F."), 1981,
        "Evaluating structural equation models with unobservable variables and measurement "
        "error", "J", "Journal of Marketing Research", "18", "1", "39-50",
    ),
    "bagozzi1988": Source(
        _a("Bagozzi, R. P.", "Yi, Y."), 1988, "On the evaluation of structural equation models",
        "J", "Journal of the Academy of Marketing Science", "16", "1", "74-94",
    ),
    "hair2019": Source(
        _a("Hair, J. F.", "Black, W. C.", "Babin, B. J.", "Anderson, R. E."), 2019,
        "Multivariate data analysis", "M", publisher="Cengage Learning", place="Andover",
        edition="8",
    ),
    "henseler2015": Source(
        _a("Henseler, J.", "Ringle, C. M.", "Sarstedt, M."), 2015,
        "A new criterion for assessing discriminant validity in variance-based structural "
        "equation modeling", "J", "Journal of the Academy of Marketing Science", "43", "1",
        "115-135",
    ),
    "hu1999": Source(
        _a("Hu, L.", "Bentler, P. M."), 1999,
        "Cutoff criteria for fit indexes in covariance structure analysis: Conventional "
        "criteria versus new alternatives", "J", "Structural Equation Modeling", "6", "1", "1-55",
    ),
    "kline2016": Source(
        _a("Kline, R. B."), 2016, "Principles and practice of structural equation modeling",
        "M", publisher="Guilford Press", place="New York", edition="4",
    ),
    "bentler2005": Source(
        _a("Bentler, P. M."), 2005, "EQS 6 structural equations program manual", "M",
        publisher="Multivariate Software", place="Encino, CA",
    ),
    "mardia1970": Source(
        _a("Mardia, K. V."), 1970,
        "Measures of multivariate skewness and kurtosis with applications", "J", "Biometrika",
        "57", "3", "519-530",
    ),
    "podsakoff2003": Source(
        _a("Podsakoff, P. M.", "MacKenzie, S. B.", "Lee, J.-Y.", "Podsakoff, N. P."), 2003,
        "Common method biases in behavioral research: A critical review of the literature and "
        "recommended remedies", "J", "Journal of Applied Psychology", "88", "5", "879-903",
    ),
    "zhou2004": Source(
        _a("周浩", "龙立荣"), 2004, "共同方法偏差的统计检验与控制方法", "J", "心理科学进展",
        "12", "6", "942-950", zh=True, roman=_a("Zhou, H.", "Long, L."),
        title_roman="Gongtong fangfa piancha de tongji jianyan yu kongzhi fangfa",
        title_en="Statistical remedies for common method biases",
        container_en="Advances in Psychological Science",
    ),
    "williams1989": Source(
        _a("Williams, L. J.", "Cote, J. A.", "Buckley, M. R."), 1989,
        "Lack of method variance in self-reported affect and perceptions at work: Reality or "
        "artifact?", "J", "Journal of Applied Psychology", "74", "3", "462-468",
    ),
    "wen2018": Source(
        _a("温忠麟", "黄彬彬", "汤丹丹"), 2018, "问卷数据建模前传", "J", "心理科学", "41", "1",
        "204-210", zh=True, roman=_a("Wen, Z.", "Huang, B.", "Tang, D."),
        title_roman="Wenjuan shuju jianmo qianzhuan",
        title_en="Preliminary work for modeling questionnaire data",
        container_en="Journal of Psychological Science",
    ),
    "wen2004": Source(
        _a("温忠麟", "侯杰泰", "马什赫伯特"), 2004, "结构方程模型检验：拟合指数与卡方准则", "J",
        "心理学报", "36", "2", "186-194", zh=True,
        roman=_a("Wen, Z.", "Hau, K.-T.", "Marsh, H. W."),
        title_roman="Jiegou fangcheng moxing jianyan: Nihe zhishu yu kafang zhunze",
        title_en="Structural equation model testing: Cutoff criteria for goodness of fit "
        "indices and chi-square test",
        container_en="Acta Psychologica Sinica",
    ),
    "preacher2008": Source(
        _a("Preacher, K. J.", "Hayes, A. F."), 2008,
        "Asymptotic and resampling strategies for assessing and comparing indirect effects in "
        "multiple mediator models", "J", "Behavior Research Methods", "40", "3", "879-891",
    ),
    "wen2014": Source(
        _a("温忠麟", "叶宝娟"), 2014, "中介效应分析：方法和模型发展", "J", "心理科学进展", "22",
        "5", "731-745", zh=True, roman=_a("Wen, Z.", "Ye, B."),
        title_roman="Zhongjie xiaoying fenxi: Fangfa he moxing fazhan",
        title_en="Analyses of mediating effects: The development of methods and models",
        container_en="Advances in Psychological Science",
    ),
    "efron1993": Source(
        _a("Efron, B.", "Tibshirani, R. J."), 1993, "An introduction to the bootstrap", "M",
        publisher="Chapman & Hall", place="New York",
    ),
    "cheung2002": Source(
        _a("Cheung, G. W.", "Rensvold, R. B."), 2002,
        "Evaluating goodness-of-fit indexes for testing measurement invariance", "J",
        "Structural Equation Modeling", "9", "2", "233-255",
    ),
    "chen2007": Source(
        _a("Chen, F. F."), 2007,
        "Sensitivity of goodness of fit indexes to lack of measurement invariance", "J",
        "Structural Equation Modeling", "14", "3", "464-504",
    ),
    "browne1993": Source(
        _a("Browne, M. W.", "Cudeck, R."), 1993, "Alternative ways of assessing model fit",
        "A", "Testing structural equation models", pages="136-162", publisher="Sage",
        place="Newbury Park, CA", editors="K. A. Bollen & J. S. Long",
        editors_gbt="BOLLEN K A, LONG J S",
    ),
    "joreskog1984": Source(
        _a("Jöreskog, K. G.", "Sörbom, D."), 1984, "LISREL VI user's guide", "M",
        publisher="Scientific Software", place="Mooresville, IN",
    ),
    "bentler1980": Source(
        _a("Bentler, P. M.", "Bonett, D. G."), 1980,
        "Significance tests and goodness of fit in the analysis of covariance structures", "J",
        "Psychological Bulletin", "88", "3", "588-606",
    ),
    "bollen1989": Source(
        _a("Bollen, K. A."), 1989, "Structural equations with latent variables", "M",
        publisher="Wiley", place="New York",
    ),
    "tucker1973": Source(
        _a("Tucker, L. R.", "Lewis, C."), 1973,
        "A reliability coefficient for maximum likelihood factor analysis", "J",
        "Psychometrika", "38", "1", "1-10",
    ),
    "bentler1990": Source(
        _a("Bentler, P. M."), 1990, "Comparative fit indexes in structural models", "J",
        "Psychological Bulletin", "107", "2", "238-246",
    ),
    "flora2004": Source(
        _a("Flora, D. B.", "Curran, P. J."), 2004,
        "An empirical evaluation of alternative methods of estimation for confirmatory factor "
        "analysis with ordinal data", "J", "Psychological Methods", "9", "4", "466-491",
    ),
    "rosseel2012": Source(
        _a("Rosseel, Y."), 2012, "lavaan: An R package for structural equation modeling", "J",
        "Journal of Statistical Software", "48", "2", "1-36",
    ),
    "li2016": Source(
        _a("Li, C.-H."), 2016,
        "Confirmatory factor analysis with ordinal data: Comparing robust maximum likelihood "
        "and diagonally weighted least squares", "J", "Behavior Research Methods", "48", "3",
        "936-949",
    ),
    "rhemtulla2012": Source(
        _a("Rhemtulla, M.", "Brosseau-Liard, P. É.", "Savalei, V."), 2012,
        "When can categorical variables be treated as continuous? A comparison of robust "
        "continuous and categorical SEM estimation methods under suboptimal conditions", "J",
        "Psychological Methods", "17", "3", "354-373",
    ),
    "zumbo2007": Source(
        _a("Zumbo, B. D.", "Gadermann, A. M.", "Zeisser, C."), 2007,
        "Ordinal versions of coefficients alpha and theta for Likert rating scales", "J",
        "Journal of Modern Applied Statistical Methods", "6", "1", "21-29",
    ),
    "green2009": Source(
        _a("Green, S. B.", "Yang, Y."), 2009,
        "Reliability of summed item scores using structural equation modeling: An alternative "
        "to coefficient alpha", "J", "Psychometrika", "74", "1", "155-167",
    ),
    "yuan2000": Source(
        _a("Yuan, K.-H.", "Bentler, P. M."), 2000,
        "Three likelihood-based methods for mean and covariance structure analysis with "
        "nonnormal missing data", "J", "Sociological Methodology", "30", "1", "165-200",
    ),
    "enders2010": Source(
        _a("Enders, C. K."), 2010, "Applied missing data analysis", "M",
        publisher="Guilford Press", place="New York",
    ),
    "levene1960": Source(
        _a("Levene, H."), 1960, "Robust tests for equality of variances", "A",
        "Contributions to probability and statistics", pages="278-292",
        publisher="Stanford University Press", place="Stanford, CA", editors="I. Olkin",
        editors_gbt="OLKIN I",
    ),
    "welch1947": Source(
        _a("Welch, B. L."), 1947,
        'The generalization of "Student\'s" problem when several different population '
        "variances are involved", "J", "Biometrika", "34", "1-2", "28-35",
    ),
    "cohen1988": Source(
        _a("Cohen, J."), 1988, "Statistical power analysis for the behavioral sciences", "M",
        publisher="Lawrence Erlbaum Associates", place="Hillsdale, NJ", edition="2",
    ),
    "meade2012": Source(
        _a("Meade, A. W.", "Craig, S. B."), 2012, "Identifying careless responses in survey data",
        "J", "Psychological Methods", "17", "3", "437-455",
    ),
    "aiken1991": Source(
        _a("Aiken, L. S.", "West, S. G."), 1991,
        "Multiple regression: Testing and interpreting interactions", "M", publisher="Sage",
        place="Newbury Park, CA",
    ),
    "bauer2005": Source(
        _a("Bauer, D. J.", "Curran, P. J."), 2005,
        "Probing interactions in fixed and multilevel regression: Inferential and graphical "
        "techniques", "J", "Multivariate Behavioral Research", "40", "3", "373-400",
    ),
    "johnson1936": Source(
        _a("Johnson, P. O.", "Neyman, J."), 1936,
        "Tests of certain linear hypotheses and their application to some educational "
        "problems", "J", "Statistical Research Memoirs", "1", "", "57-93",
    ),
    "marsh2004": Source(
        _a("Marsh, H. W.", "Wen, Z.", "Hau, K.-T."), 2004,
        "Structural equation models of latent interactions: Evaluation of alternative "
        "estimation strategies and indicator construction", "J", "Psychological Methods", "9",
        "3", "275-300",
    ),
    "lin2010": Source(
        _a("Lin, G.-C.", "Wen, Z.", "Marsh, H. W.", "Lin, H.-S."), 2010,
        "Structural equation models of latent interactions: Clarification of orthogonalizing "
        "and double-mean-centering strategies", "J", "Structural Equation Modeling", "17", "3",
        "374-391",
    ),
    "hayes2015": Source(
        _a("Hayes, A. F."), 2015, "An index and test of linear moderated mediation", "J",
        "Multivariate Behavioral Research", "50", "1", "1-22",
    ),
    "hayes2022": Source(
        _a("Hayes, A. F."), 2022,
        "Introduction to mediation, moderation, and conditional process analysis: A "
        "regression-based approach", "M", publisher="Guilford Press", place="New York",
        edition="3rd",
    ),
    "wen2005": Source(
        _a("温忠麟", "侯杰泰", "张雷"), 2005, "调节效应与中介效应的比较和应用", "J", "心理学报",
        "37", "2", "268-274", zh=True, roman=_a("Wen, Z.", "Hau, K.-T.", "Chang, L."),
        title_roman="Tiaojie xiaoying yu zhongjie xiaoying de bijiao he yingyong",
        title_en="A comparison of moderator and mediator and their applications",
        container_en="Acta Psychologica Sinica",
    ),
    "fang2018": Source(
        _a("方杰", "温忠麟"), 2018, "基于结构方程模型的有调节的中介效应分析", "J", "心理科学",
        "41", "2", "453-458", zh=True, roman=_a("Fang, J.", "Wen, Z."),
        title_roman="Jiyu jiegou fangcheng moxing de you tiaojie de zhongjie xiaoying fenxi",
        title_en="Analyses of moderated mediation effects based on structural equation modeling",
        container_en="Journal of Psychological Science",
    ),
    "byrne2010": Source(
        _a("Byrne, B. M."), 2010,
        "Structural equation modeling with AMOS: Basic concepts, applications, and "
        "programming", "M", publisher="Routledge", place="New York", edition="2",
    ),
    "hair2022": Source(
        _a("Hair, J. F.", "Hult, G. T. M.", "Ringle, C. M.", "Sarstedt, M."), 2022,
        "A primer on partial least squares structural equation modeling (PLS-SEM)", "M",
        publisher="Sage", place="Thousand Oaks, CA", edition="3",
    ),
    "shmueli2019": Source(
        _a("Shmueli, G.", "Sarstedt, M.", "Hair, J. F.", "Cheah, J.-H.", "Ting, H.",
           "Vaithilingam, S.", "Ringle, C. M."), 2019,
        "Predictive model assessment in PLS-SEM: Guidelines for using PLSpredict", "J",
        "European Journal of Marketing", "53", "11", "2322-2347",
    ),
    "dijkstra2015": Source(
        _a("Dijkstra, T. K.", "Henseler, J."), 2015,
        "Consistent partial least squares path modeling", "J", "MIS Quarterly", "39", "2",
        "297-316",
    ),
    "becker2012": Source(
        _a("Becker, J.-M.", "Klein, K.", "Wetzels, M."), 2012,
        "Hierarchical latent variable models in PLS-SEM: Guidelines for using "
        "reflective-formative type models", "J", "Long Range Planning", "45", "5-6", "359-394",
    ),
    "sarstedt2019": Source(
        _a("Sarstedt, M.", "Hair, J. F.", "Cheah, J.-H.", "Becker, J.-M.", "Ringle, C. M."),
        2019, "How to specify, estimate, and validate higher-order constructs in PLS-SEM", "J",
        "Australasian Marketing Journal", "27", "3", "197-211",
    ),
    "stone1974": Source(
        _a("Stone, M."), 1974,
        "Cross-validatory choice and assessment of statistical predictions", "J",
        "Journal of the Royal Statistical Society: Series B", "36", "2", "111-147",
    ),
    "geisser1974": Source(
        _a("Geisser, S."), 1974, "A predictive approach to the random effect model", "J",
        "Biometrika", "61", "1", "101-107",
    ),
    "zhao2010": Source(
        _a("Zhao, X.", "Lynch, J. G.", "Chen, Q."), 2010,
        "Reconsidering Baron and Kenny: Myths and truths about mediation analysis", "J",
        "Journal of Consumer Research", "37", "2", "197-206",
    ),
    "mackinnon2000": Source(
        _a("MacKinnon, D. P.", "Krull, J. L.", "Lockwood, C. M."), 2000,
        "Equivalence of the mediation, confounding and suppression effect", "J",
        "Prevention Science", "1", "4", "173-181",
    ),
    "holm1979": Source(
        _a("Holm, S."), 1979, "A simple sequentially rejective multiple test procedure", "J",
        "Scandinavian Journal of Statistics", "6", "2", "65-70",
    ),
    "putnick2016": Source(
        _a("Putnick, D. L.", "Bornstein, M. H."), 2016,
        "Measurement invariance conventions and reporting: The state of the art and future "
        "directions for psychological research", "J", "Developmental Review", "41", "",
        "71-90",
    ),
    "satorra2001": Source(
        _a("Satorra, A.", "Bentler, P. M."), 2001,
        "A scaled difference chi-square test statistic for moment structure analysis", "J",
        "Psychometrika", "66", "4", "507-514",
    ),
    "marsh1985": Source(
        _a("Marsh, H. W.", "Hocevar, D."), 1985,
        "Application of confirmatory factor analysis to the study of self-concept: First- and "
        "higher order factor models and their invariance across groups", "J",
        "Psychological Bulletin", "97", "3", "562-582",
    ),
    "akaike1974": Source(
        _a("Akaike, H."), 1974, "A new look at the statistical model identification", "J",
        "IEEE Transactions on Automatic Control", "19", "6", "716-723",
    ),
    "schwarz1978": Source(
        _a("Schwarz, G."), 1978, "Estimating the dimension of a model", "J",
        "The Annals of Statistics", "6", "2", "461-464",
    ),
    "bentler2010": Source(
        _a("Bentler, P. M.", "Satorra, A."), 2010, "Testing model nesting and equivalence", "J",
        "Psychological Methods", "15", "2", "111-123",
    ),
    "mcdonald1999": Source(
        _a("McDonald, R. P."), 1999, "Test theory: A unified treatment", "M",
        publisher="Lawrence Erlbaum", place="Mahwah, NJ",
    ),
    "zinbarg2005": Source(
        _a("Zinbarg, R. E.", "Revelle, W.", "Yovel, I.", "Li, W."), 2005,
        "Cronbach's α, Revelle's β, and McDonald's ωH: Their relations with each other and two "
        "alternative conceptualizations of reliability", "J", "Psychometrika", "70", "1",
        "123-133",
    ),
}  # fmt: skip

_MARK = re.compile(r"\[\[([a-z0-9_]+)\]\]")


def in_text(key: str, lang: str) -> str:
    """The author-year citation without parentheses: "Fornell & Larcker, 1981"."""
    s = SOURCES[key]
    fam = [a[0] for a in s.authors]
    if s.zh and lang == "en" and s.roman:
        fam = [a[0] for a in s.roman]
    elif s.zh:
        names = ", ".join(fam) if len(fam) <= 2 else f"{fam[0]}等"
        return f"{names}, {s.year}"
    if len(fam) == 1:
        names = fam[0]
    elif len(fam) == 2:
        names = f"{fam[0]} & {fam[1]}"
    else:
        names = f"{fam[0]} {'等' if lang == 'zh' else 'et al.'}"
    return f"{names}, {s.year}"


def cite(text: str, lang: str, cited: list[str]) -> str:
    """Replace each ``[[key]]`` by its author-year citation and record the key in ``cited``.

    Several markers in a row share one pair of parentheses: "[[a]][[b]]" -> "(A, 1; B, 2)".
    """

    def group(m: re.Match) -> str:
        keys = _MARK.findall(m.group(0))
        for k in keys:
            if k not in cited:
                cited.append(k)
        inner = ("；" if lang == "zh" else "; ").join(in_text(k, lang) for k in keys)
        before = text[: m.start()]
        depth = before.count("(") + before.count("（") - before.count(")") - before.count("）")
        if depth > 0:  # already inside parentheses: no nested pair
            return ("；" if lang == "zh" else "; ") + inner
        return f"（{inner}）" if lang == "zh" else f" ({inner})"

    # "(< 5 acceptable) [[kline2016]]" -> "(< 5 acceptable; Kline, 2016)": no back-to-back
    # parentheses (APA 7, 8.11)
    text = re.sub(r"([)）]) ?((?:\[\[[a-z0-9_]+\]\])+)", lambda m: m.group(2) + m.group(1), text)
    out = re.sub(r" ?(?:\[\[[a-z0-9_]+\]\])+", group, text)
    return out


def _apa_authors(authors) -> str:
    if not authors[0][1]:  # Chinese names
        return "、".join(f for f, _ in authors)
    names = [f"{f}, {i}" if i else f for f, i in authors]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _ordinal(n: str) -> str:
    return {"1": "1st", "2": "2nd", "3": "3rd"}.get(n, f"{n}th")


def apa(s: Source) -> str:
    """APA 7 reference entry (plain text; titles are not italicised in plain text). A Chinese
    source is romanised (APA 7, 9.38): authors and the title in pinyin, the English title in
    brackets, the journal's English name."""
    if s.zh and s.roman:
        s = replace(s, authors=s.roman, title=f"{s.title_roman} [{s.title_en}]",
                    container=s.container_en or s.container)  # fmt: skip
    head = f"{_apa_authors(s.authors)} ({s.year}). "
    title = s.title if s.title[-1] in "?!" else s.title + "."
    pages = s.pages.replace("-", "–")
    if s.kind == "J":
        issue = f"({s.issue})" if s.issue else ""
        return f"{head}{title} {s.container}, {s.volume}{issue}, {pages}."
    if s.kind == "A":
        return (
            f"{head}{title} In {s.editors} (Ed{'s' if '&' in s.editors else ''}.), "
            f"{s.container} (pp. {pages}). {s.publisher}."
        )
    ed = f" ({_ordinal(s.edition)} ed.)" if s.edition else ""
    return f"{head}{s.title}{ed}. {s.publisher}."


def _gbt_authors(authors, zh: bool) -> str:
    if zh:
        names = [f for f, _ in authors]
    else:
        names = [f"{f.upper()} {i.replace('.', '').strip()}" for f, i in authors]
    if len(names) > 3:
        names = names[:3] + ["等" if zh else "et al"]
    return ", ".join(names)


def gbt(s: Source) -> str:
    """GB/T 7714-2015 entry in the author-year system (著者-出版年制)."""
    head = f"{_gbt_authors(s.authors, s.zh)}, {s.year}. "
    if s.kind == "J":
        issue = f"({s.issue})" if s.issue else ""
        return f"{head}{s.title}[J]. {s.container}, {s.volume}{issue}: {s.pages}."
    if s.kind == "A":
        where = f"{s.place}: {s.publisher}: {s.pages}"
        return f"{head}{s.title}[M]//{s.editors_gbt}. {s.container}. {where}."
    ed = f" {_ordinal(s.edition)} ed." if s.edition else ""
    return f"{head}{s.title}[M].{ed} {s.place}: {s.publisher}."


def reference_list(keys: list[str], lang: str) -> list[str]:
    """The entries of the cited ``keys``: APA (alphabetical) or GB/T 7714 (Chinese sources
    first, then the others alphabetically)."""
    srcs = [SOURCES[k] for k in dict.fromkeys(keys) if k in SOURCES]
    if lang == "zh":
        srcs.sort(key=lambda s: (not s.zh, s.authors[0][0].lower(), s.year))
        return [gbt(s) for s in srcs]
    srcs.sort(key=lambda s: ((s.roman or s.authors)[0][0].lower(), s.year))
    return [apa(s) for s in srcs]
