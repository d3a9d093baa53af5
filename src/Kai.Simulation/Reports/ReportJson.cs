using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kai.Simulation.Reports;

/// <summary>The JSON form of a <see cref="SimulationReport"/> (contract: docs/simulate-json.md).</summary>
public static class ReportJson
{
    public static string Serialize(SimulationReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.SimulationReport);

    public static SimulationReport? Deserialize(string json) => JsonSerializer.Deserialize(json, ReportJsonContext.Default.SimulationReport);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SimulationReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
