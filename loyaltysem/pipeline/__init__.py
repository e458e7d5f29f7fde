"""The pipeline: every stage in order, from the data file to the analysis results the report
reads (``analyze``)."""

from loyaltysem.pipeline.analysis import AnalysisResult, analyze

__all__ = ["AnalysisResult", "analyze"]
