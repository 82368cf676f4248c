// Requirements the handlers cannot express with the runtime's current public API. Each one names the missing
// feature; when the feature lands, replace the declaration with a handler class (a handler for a declared id makes
// the runner print a "stale declaration" warning, so a forgotten line is noticed). Example:
//
//   [assembly: ConformanceNotImplemented("8-12", "needs ParallelAsync with NestingType.Flat (semantics §4.8)")]
//
// Every requirement in shared/conformance has a handler today, so there is no declaration.

using DurableGen.Conformance;
