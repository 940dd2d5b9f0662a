using System.Runtime.CompilerServices;

// The loopback tests (tests/OptiFlow.Simulator.Tests) drive `optiflow run --venue sim` in-process, as the replay tests
// drive the file verbs (their access is granted in the project file).
[assembly: InternalsVisibleTo("OptiFlow.Simulator.Tests")]
