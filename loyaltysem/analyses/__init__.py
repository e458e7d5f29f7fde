"""Stand-alone analyses on observed (scored) variables, beside the SEM core: Hayes' PROCESS
(:mod:`loyaltysem.analyses.process`)."""
