# Exports psych::bfi and its item wording (psychTools::bfi.dictionary) for make_bfi.py,
# which writes tests/data/surveys/bfi.sav. Run from the repository root:
#   Rscript tests/data/surveys/make_bfi.R OUTDIR
# Writes OUTDIR/bfi.csv (2,800 rows as in psych, NA empty) and OUTDIR/bfi_dictionary.csv
# (column, wording). Nothing is recoded: the reverse-keyed items stay as answered.
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else tempdir()
data(bfi, package = "psych")
data(bfi.dictionary, package = "psychTools")
stopifnot(identical(dim(bfi), c(2800L, 28L)))
write.csv(bfi, file.path(out, "bfi.csv"), row.names = FALSE, na = "")
items <- rownames(bfi.dictionary)[1:25]
dict <- data.frame(column = items, wording = trimws(as.character(bfi.dictionary[items, "Item"])))
write.csv(dict, file.path(out, "bfi_dictionary.csv"), row.names = FALSE)
message("psych ", packageVersion("psych"), ", psychTools ", packageVersion("psychTools"),
        ": wrote ", out)
