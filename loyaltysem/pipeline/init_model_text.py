"""The comments ``loyaltysem init`` writes into a proposed model file, in English and Chinese
(``lang="en"`` / ``"zh"``). Plain format strings; :mod:`loyaltysem.pipeline.init_model`
fills them."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "stamp": "loyaltysem init, from {source}; init never overwrites this file once edited",
        "header": """\
# A model file proposed from {source} ({n_rows} respondents): {n_constructs} constructs with
# {n_items} items, read from the column names. Everything here is a proposal read from the
# data: check every construct, item, reverse-keyed item and demographic against the
# questionnaire, and write each construct's name in English (en) and Chinese (zh).
# As it stands the file is a measurement model (constructs and their items); the commented
# template at the end adds the structural paths and the hypotheses.""",
        "unused": "# Columns not used ({n}); add them by hand if they belong to the model:",
        "user_missing": "# SPSS user-defined missing values (the loader reads them as missing):",
        "user_missing_tail": "# They are read from the .sav file; if the data are saved again as "
        "CSV or Excel,\n# declare them in [meta] missing_codes (a code there applies to every "
        "column).",
        "suspected": "# Values far from the other answers of their column, probably missing codes:",
        "suspected_tail": "# They are declared in [meta] missing_codes below ({codes}), so every "
        "command reads\n# them as missing; delete a code that is a real answer. init left them "
        "out of the\n# scale, the keying and the demographics' values below.",
        "given_codes": "# Missing codes given to init (--missing-codes {codes}): declared in "
        "[meta] missing_codes below.",
        "meta": "# The study's name; the respondent ID and completion-time columns when found.",
        "id_column": "respondent ID (unique values)",
        "missing_codes": "answers that mean 'no answer', in every column",
        "duration_column": "completion time, for the speeder check",
        "scale_labels": "# The answer scale of the items, from the value labels in the data file.",
        "scale_answers": "# The answer scale of the items, from the answers observed ({lo:g} to "
        "{hi:g}): check it against\n# the questionnaire (nobody may have used an end of it).",
        "scale_note": "# Construct {code}'s answers lie in {lo:g} to {hi:g} only: if it was asked "
        "on another scale,\n# reverse-keyed items and the scale check need care.",
        "construct": "# {code}: {n} items ({first} ... {last}).",
        "reverse_rule": """\
# Reverse-keyed items (reverse = true; the loader recodes them as min + max - x) were
# detected from the data by the check.keys rule of psych's alpha: an item is reverse-keyed
# when its loading on the first principal component of its construct's items (pairwise
# correlations; the component signed so its loadings sum to a positive number) is negative.
# Confirm each against the questionnaire: set reverse = false for an item that is not
# worded in reverse, and reverse = true for one the rule missed.""",
        "reverse": "# Reverse-keyed, detected from the data (confirm): {items}.",
        "reverse_item": "reverse-keyed? confirm",
        "demographic_name": "# {code}: a demographic (recognised by its name).",
        "demographic_labels": "# {code}: a demographic (recognised by its value labels).",
        "demographic_few": "# {code}: a demographic? (recognised by its {n} categories: check, "
        "and name them).",
        "demographic_text": "# The answers are text: the loader keeps them as text.",
        "demographic_unnamed": "# Name the categories in values (en, zh).",
        "demographic_add_zh": '# Add zh = "..." to the values below for the Chinese chapter.',
        "demographic_continuous": "# Continuous ({n} distinct values, no value labels): the "
        "report describes it by its\n# mean and SD and does not compare the constructs across "
        "its values.",
        "template": """\
# ---- Structural model: commented out, so the file runs as a measurement model ----
# Remove the leading "# " from the lines below and write your own paths: "Y ~ X1 + X2"
# says that X1 and X2 affect Y. Each hypothesis names one path and its expected sign.
#
# [structural]
# syntax = \"\"\"
# {syntax}
# \"\"\"
#
# [[hypotheses]]
# id = "H1"
# path = "{path}"
# sign = "+"
# en = "{x} has a positive effect on {y}."
# zh = "{x} 对 {y} 有正向影响。\"""",
    },
    "zh": {
        "stamp": "由 loyaltysem init 根据 {source} 生成；编辑后 init 不会再覆盖此文件",
        "header": """\
# 根据 {source}（{n_rows} 名被试）的列名生成的模型文件草案：{n_constructs} 个构念，
# {n_items} 个题项。以下内容均由数据推断：请对照问卷逐一核对每个构念、题项、反向计分题
# 和人口统计变量，并为每个构念填写英文（en）和中文（zh）名称。
# 目前此文件是测量模型（构念及其题项）；文件末尾被注释掉的模板用于添加结构路径和研究假设。""",
        "unused": "# 未使用的列（{n} 个）；如属于模型，请手动添加：",
        "user_missing": "# SPSS 用户自定义缺失值（读取数据时按缺失处理）：",
        "user_missing_tail": "# 这些代码从 .sav 文件中读取；如果数据另存为 CSV 或 Excel，"
        "请在 [meta] missing_codes\n# 中声明（该处的代码适用于每一列）。",
        "suspected": "# 远离同列其他作答的数值，可能是缺失值代码：",
        "suspected_tail": "# 这些代码已在下面的 [meta] missing_codes 中声明（{codes}），"
        "各命令均按缺失处理；\n# 如某代码其实是有效作答，请将其删除。下面的量表范围、反向计分"
        "判断和人口统计变量取值已将其排除。",
        "given_codes": "# 运行 init 时给出的缺失值代码（--missing-codes {codes}）："
        "已在下面的 [meta] missing_codes 中声明。",
        "meta": "# 研究名称；找到时注明被试编号列和作答时长列。",
        "id_column": "被试编号（取值唯一）",
        "missing_codes": "表示未作答的数值，适用于每一列",
        "duration_column": "作答时长，用于识别作答过快者",
        "scale_labels": "# 题项的作答量表，取自数据文件中的值标签。",
        "scale_answers": "# 题项的作答量表，取自实际作答（{lo:g} 至 {hi:g}）：请对照问卷核对"
        "\n# （可能没有人选择量表的某一端点）。",
        "scale_note": "# 构念 {code} 的作答仅在 {lo:g} 至 {hi:g} 之间：如果它使用了其他量表，"
        "\n# 反向计分和量表检查需要注意。",
        "construct": "# {code}：{n} 个题项（{first} ... {last}）。",
        "reverse_rule": """\
# 反向计分题（reverse = true；读取数据时按 最小值 + 最大值 - x 重新计分）由数据按 psych 包
# alpha 的 check.keys 规则检测：题项在其构念各题项第一主成分上的载荷为负，即判为反向计分
# （成对相关；主成分方向取载荷和为正）。请对照问卷逐一确认：并非反向表述的题项改为
# reverse = false，规则遗漏的反向题改为 reverse = true。""",
        "reverse": "# 由数据检测到的反向计分题（请确认）：{items}。",
        "reverse_item": "反向计分？请确认",
        "demographic_name": "# {code}：人口统计变量（根据列名识别）。",
        "demographic_labels": "# {code}：人口统计变量（根据值标签识别）。",
        "demographic_few": "# {code}：人口统计变量？（根据其 {n} 个类别识别："
        "请核对并为类别命名）。",
        "demographic_text": "# 作答为文本：读取数据时保留为文本。",
        "demographic_unnamed": "# 请在 values 中为各类别命名（en、zh）。",
        "demographic_add_zh": '# 请为下面各取值添加 zh = "..."（中文报告中的名称）。',
        "demographic_continuous": "# 连续变量（{n} 个不同取值，无值标签）：报告以均值和标准差"
        "描述，\n# 不按其取值比较各变量的差异。",
        "template": """\
# ---- 结构模型：已注释掉，因此此文件按测量模型运行 ----
# 删除下面各行开头的 "# " 并写出自己的路径："Y ~ X1 + X2" 表示 X1 和 X2 影响 Y。
# 每条假设对应一条路径及其预期方向。
#
# [structural]
# syntax = \"\"\"
# {syntax}
# \"\"\"
#
# [[hypotheses]]
# id = "H1"
# path = "{path}"
# sign = "+"
# en = "{x} has a positive effect on {y}."
# zh = "{x} 对 {y} 有正向影响。\"""",
    },
}

_REASONS = {
    "single": (
        "a single numbered item (a construct needs two or more)",
        "只有一个编号题项（构念至少需要两个）",
    ),
    "text": ("text answers", "文本作答"),
    "numeric": (
        "numbers that are not a rating scale (decimals, or more than 11 points)",
        "不是评分量表的数值（有小数，或超过 11 点）",
    ),
    "stem": (
        "named like a construct's items but not numbered (a total score or a global item?)",
        "与某构念的题项同名但无编号（总分或总体评价题？）",
    ),
    "constant": ("the same answer from everyone", "所有人作答相同"),
    "empty": ("no answers", "没有作答"),
    "other": (
        "not numbered, and not recognised as a demographic",
        "无编号，也未识别为人口统计变量",
    ),
}


def reason_text(key: str, lang: str) -> str:
    """Why a column was left unused, in ``lang``.

    Example:
        >>> reason_text("text", "zh")
        '文本作答'
    """
    en, zh = _REASONS[key]
    return zh if lang == "zh" else en
