"""Stage 3, the covariance-based SEM core (lavaan's numbers under lavaan's names).

Model: ``partable`` (lavaan's parameter table, the single source of every later table),
``product_indicators`` (``X:Z`` terms), ``compiled`` and ``ram`` (implied moments and their
derivatives), ``fiml`` and ``h1`` (incomplete data).
Estimation: ``options`` (what an estimator means - se, information, test, weights - resolved
once, as lavaan's ``lav_options_set``), ``discrepancy`` (the estimator protocol: objective,
gradient, information, scores for ML and FIML), ``optimizer`` (the one optimiser),
``estimation`` (``sem()``).
Inference and results: ``inference`` (standard errors by the options' se and information,
the sandwich), ``results`` (``SEMResult``), ``baseline``, ``fitindices``, ``fitmeasures``,
``robust`` (scaled and robust tests), ``standardized``, ``modindices``.
Effects and resampling: ``effects``, ``mediation``, ``bootstrap`` and ``batched`` (refits),
``interactions`` (probing), ``invariance``, ``method_bias``, ``hypotheses``, ``simulate``,
``power``. Imports only the stages below it.
"""
