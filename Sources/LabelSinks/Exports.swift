// The statistics that `eval`, `train` and the summary share live in EvalStatistics; label-sink users see them
// through this module as before.
@_exported import EvalStatistics
