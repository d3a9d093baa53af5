using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Reports;

namespace Kai.Benchmarks.Budgets;

/// <summary>One benchmark's allocation per operation, as measured by a run.</summary>
/// <param name="Benchmark">Type.Method(Param=Value, ...), parameters sorted by name.</param>
/// <param name="MeanNanoseconds">Mean time per operation, when the run has one.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation, when the run measured memory.</param>
public sealed record Measurement(string Benchmark, double? MeanNanoseconds, long? AllocatedBytes);

/// <summary>The allocation budget of one benchmark.</summary>
/// <param name="Benchmark">As in <see cref="Measurement.Benchmark"/>.</param>
/// <param name="MeasuredBytes">Bytes per operation when the budget was recorded (for reference).</param>
/// <param name="BudgetBytes">Most bytes per operation allowed; more is a regression.</param>
/// <param name="Fluctuating">Allocation varies between runs: exceeding the budget only warns.</param>
/// <param name="Note">Why the entry is as it is, if that needs saying.</param>
public sealed record BudgetEntry(string Benchmark, long MeasuredBytes, long BudgetBytes, bool Fluctuating = false, string? Note = null);

/// <summary>The budgets file: <c>bench/Kai.Benchmarks/budgets.json</c>.</summary>
/// <param name="HeadroomPercent">Headroom that <c>--update</c> puts on top of a measurement.</param>
public sealed record BudgetFile(int HeadroomPercent, List<BudgetEntry> Budgets);

/// <summary>
/// Garnet-style allocation budgets: compares the bytes allocated per operation of a BenchmarkDotNet run with
/// <c>budgets.json</c> and fails (exit code 1) when a benchmark allocates more than its budget — or only warns,
/// for entries marked fluctuating. Benchmarks without a budget are listed, not failed; budgets of benchmarks that
/// did not run are ignored (a filtered run checks what it ran).
/// </summary>
public static class BudgetCommand
{
    public const string FileName = "budgets.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary><c>check-budgets [--budgets file] [--update] [results directory or report .json files]</c>.</summary>
    public static int Run(string[] args)
    {
        string? budgets = null;
        var update = false;
        var inputs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--budgets" when i + 1 < args.Length:
                    budgets = args[++i];
                    break;
                case "--update":
                    update = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine("check-budgets [--budgets <budgets.json>] [--update] [<results directory or *-report-brief.json>...]");
                    Console.WriteLine("  Compares bytes allocated per operation in BenchmarkDotNet's JSON reports with the budgets; exit code 1 on a regression.");
                    Console.WriteLine("  Default results: BenchmarkDotNet.Artifacts/results. --update rewrites the budgets from the results (measured + headroom).");
                    return 0;
                default:
                    inputs.Add(args[i]);
                    break;
            }
        }

        if (inputs.Count == 0)
        {
            inputs.Add(Path.Combine("BenchmarkDotNet.Artifacts", "results"));
        }

        List<Measurement> measurements;
        try
        {
            measurements = FromReports(inputs);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (measurements.Count == 0)
        {
            Console.Error.WriteLine($"error: no benchmark results in {string.Join(", ", inputs)}; run the benchmarks first (they export *-report-brief.json).");
            return 2;
        }

        return Check(measurements, LocateBudgets(budgets), update);
    }

    /// <summary>The given file, else <c>bench/Kai.Benchmarks/budgets.json</c> or <c>budgets.json</c> under the working directory, else the copy next to the program.</summary>
    public static string LocateBudgets(string? path)
    {
        if (path is not null)
        {
            return path;
        }

        string[] candidates = [Path.Combine("bench", "Kai.Benchmarks", FileName), FileName, Path.Combine(AppContext.BaseDirectory, FileName)];
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    public static List<Measurement> FromSummaries(IEnumerable<Summary> summaries)
    {
        var measurements = new List<Measurement>();
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var benchmark = report.BenchmarkCase;
            var parameters = benchmark.Parameters.Items.Select(p => $"{p.Name}={p.Value}");
            measurements.Add(new Measurement(
                Key(benchmark.Descriptor.Type.Name, benchmark.Descriptor.WorkloadMethod.Name, parameters),
                report.ResultStatistics?.Mean,
                report.GcStats.GetBytesAllocatedPerOperation(benchmark)));
        }

        return measurements;
    }

    /// <summary>Reads BenchmarkDotNet JSON reports (brief or full), from files or every <c>*.json</c> of a directory; later files win.</summary>
    public static List<Measurement> FromReports(IEnumerable<string> inputs)
    {
        var files = inputs
            .SelectMany(i => Directory.Exists(i) ? Directory.GetFiles(i, "*.json") : File.Exists(i) ? [i] : throw new FileNotFoundException($"no such file or directory: {i}"))
            .OrderBy(File.GetLastWriteTimeUtc);
        var byKey = new Dictionary<string, Measurement>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (!document.RootElement.TryGetProperty("Benchmarks", out var benchmarks) || benchmarks.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var b in benchmarks.EnumerateArray())
            {
                var parameters = b.TryGetProperty("Parameters", out var p) && p.GetString() is { Length: > 0 } text ? text.Split('&') : [];
                double? mean = b.TryGetProperty("Statistics", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("Mean", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDouble() : null;
                long? allocated = b.TryGetProperty("Memory", out var mem) && mem.ValueKind == JsonValueKind.Object && mem.TryGetProperty("BytesAllocatedPerOperation", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt64() : null;
                var measurement = new Measurement(Key(b.GetProperty("Type").GetString()!, b.GetProperty("Method").GetString()!, parameters), mean, allocated);
                byKey[measurement.Benchmark] = measurement;
            }
        }

        return [.. byKey.Values];
    }

    /// <summary>Prints one line per measured benchmark; 1 when any non-fluctuating budget is exceeded, else 0.</summary>
    /// <param name="update">Instead of checking, rewrite the budgets file: measured + headroom for every measured benchmark.</param>
    public static int Check(IReadOnlyList<Measurement> measurements, string budgetsPath, bool update)
    {
        var file = File.Exists(budgetsPath)
            ? JsonSerializer.Deserialize<BudgetFile>(File.ReadAllText(budgetsPath), Json) ?? new BudgetFile(10, [])
            : new BudgetFile(10, []);
        var budgets = file.Budgets.ToDictionary(b => b.Benchmark, StringComparer.Ordinal);
        if (update)
        {
            return Update(file, budgets, measurements, budgetsPath);
        }

        Console.WriteLine($"Allocation budgets ({budgetsPath}):");
        var regressions = 0;
        var warnings = 0;
        foreach (var m in measurements.OrderBy(m => m.Benchmark, StringComparer.Ordinal))
        {
            if (m.AllocatedBytes is not { } allocated)
            {
                Console.WriteLine($"  skip  {m.Benchmark}: no allocation figure (run with the memory diagnoser)");
                continue;
            }

            if (!budgets.TryGetValue(m.Benchmark, out var budget))
            {
                Console.WriteLine($"  new   {m.Benchmark}: {Size(allocated)}/op, no budget (check-budgets --update records one)");
                continue;
            }

            var ratio = (double)allocated / Math.Max(1, budget.MeasuredBytes);
            var line = $"{m.Benchmark}: {Size(allocated)}/op, budget {Size(budget.BudgetBytes)} (recorded {Size(budget.MeasuredBytes)}, now {ratio:P0} of it)";
            if (allocated <= budget.BudgetBytes)
            {
                var hint = ratio < 0.5 ? " - well under the recorded figure; consider lowering the budget" : string.Empty;
                Console.WriteLine($"  ok    {line}{hint}");
            }
            else if (budget.Fluctuating)
            {
                warnings++;
                Console.WriteLine($"  WARN  {line} - over budget, but the entry is marked fluctuating");
            }
            else
            {
                regressions++;
                Console.WriteLine($"  FAIL  {line} - over budget");
            }
        }

        Console.WriteLine(regressions > 0
            ? $"{regressions} allocation regression(s), {warnings} warning(s)."
            : $"No allocation regression ({warnings} warning(s)).");
        return regressions > 0 ? 1 : 0;
    }

    private static int Update(BudgetFile file, Dictionary<string, BudgetEntry> budgets, IReadOnlyList<Measurement> measurements, string budgetsPath)
    {
        foreach (var m in measurements)
        {
            if (m.AllocatedBytes is not { } allocated)
            {
                continue;
            }

            // Rounded up to whole KB so the file stays readable.
            var budget = (long)Math.Ceiling(allocated * (1 + (file.HeadroomPercent / 100.0)) / 1024) * 1024;
            budgets[m.Benchmark] = budgets.TryGetValue(m.Benchmark, out var old)
                ? old with { MeasuredBytes = allocated, BudgetBytes = budget }
                : new BudgetEntry(m.Benchmark, allocated, budget);
        }

        var updated = file with { Budgets = [.. budgets.Values.OrderBy(b => b.Benchmark, StringComparer.Ordinal)] };
        File.WriteAllText(budgetsPath, JsonSerializer.Serialize(updated, Json) + "\n");
        Console.WriteLine($"Wrote {updated.Budgets.Count} budget(s) to {budgetsPath} ({file.HeadroomPercent} % headroom).");
        return 0;
    }

    private static string Key(string type, string method, IEnumerable<string> parameters)
    {
        var name = type[(type.LastIndexOf('.') + 1)..];
        return $"{name}.{method}({string.Join(", ", parameters.Order(StringComparer.Ordinal))})";
    }

    private static string Size(long bytes) => bytes >= 10 * 1024 * 1024
        ? (bytes / 1024.0 / 1024.0).ToString("0.0 MB", CultureInfo.InvariantCulture)
        : (bytes / 1024.0).ToString("0.0 KB", CultureInfo.InvariantCulture);
}
