using BenchmarkDotNet.Running;
using Kai.Benchmarks;
using Kai.Benchmarks.Budgets;

// Usage (from the repository root):
//   dotnet run -c Release --project bench/Kai.Benchmarks -- --filter '*Allocate*'      standard job (see BenchConfig)
//   dotnet run -c Release --project bench/Kai.Benchmarks -- --filter '*' --quick       fewer iterations
//   ... -- --filter '*' --nodes 1000                                                   only 1000-node clusters
//   ... -- --filter '*' --quick --check-budgets                                        run, then compare allocation to budgets.json
//   dotnet run -c Release --project bench/Kai.Benchmarks -- check-budgets [results]    compare exported results only (no run)
//   ... -- check-budgets --update                                                      rewrite budgets.json from exported results
// Every other argument is BenchmarkDotNet's (--list flat, --job short, --exporters, ...). See docs/benchmarks.md.
if (args.Length > 0 && args[0] == "check-budgets")
{
    return BudgetCommand.Run(args[1..]);
}

var quick = false;
var checkBudgets = false;
string? budgetsPath = null;
var rest = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--check-budgets":
            checkBudgets = true;
            break;
        case "--budgets" when i + 1 < args.Length:
            budgetsPath = args[++i];
            break;
        case "--nodes" when i + 1 < args.Length:
            var nodes = args[++i];
            if (nodes.Split(',', StringSplitOptions.TrimEntries).Any(n => !int.TryParse(n, out var count) || count < 1))
            {
                Console.Error.WriteLine($"error: --nodes '{nodes}': expected node counts separated by commas, e.g. 1000,5000.");
                return 2;
            }

            // Read by Workload's parameter sources in this process; benchmark processes inherit it.
            Environment.SetEnvironmentVariable(Workload.NodesVariable, nodes);
            break;
        default:
            rest.Add(args[i]);
            break;
    }
}

var commandLineJob = rest.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
if (commandLineJob && quick)
{
    Console.Error.WriteLine("warning: --quick is ignored because --job is given.");
}

var job = commandLineJob ? null : quick ? BenchConfig.Quick : BenchConfig.Standard;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], BenchConfig.Create(job)).ToList();
if (!checkBudgets)
{
    return 0;
}

return BudgetCommand.Check(BudgetCommand.FromSummaries(summaries), BudgetCommand.LocateBudgets(budgetsPath), update: false);
