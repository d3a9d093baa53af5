using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// The checked-in ratchet (<c>conformance-floor.json</c>): how many cases must pass at least, and which ones.
/// Both only ever go up. The count guards the list: dropping a case from it also needs the floor lowered, a
/// change a reviewer sees.
/// </summary>
internal sealed record ConformanceFloor(
    [property: JsonPropertyName("about")] string About,
    [property: JsonPropertyName("floor")] int Floor,
    [property: JsonPropertyName("passing")] IReadOnlyList<string> Passing)
{
    public const string FileName = "conformance-floor.json";

    public const string AboutText = "KAI conformance ratchet, enforced by KaiConformanceTests: at least floor cases pass and every case listed in passing passes. Raise both when more cases pass (KAI_CONFORMANCE_UPDATE=1 dotnet test tests/Kai.Conformance.Tests); see docs/conformance.md.";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people: quotes stay quotes
    };

    public static string DefaultPath => Path.Combine(Repository.ProjectDirectory, FileName);

    public static ConformanceFloor Load(string path) =>
        JsonSerializer.Deserialize<ConformanceFloor>(File.ReadAllText(path), Options) ?? throw new HarnessException($"{path}: empty floor file");

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The floor raised to what <paramref name="run"/> passed: every passing case listed, the floor at least their number.</summary>
    public ConformanceFloor RaisedTo(IEnumerable<CaseResult> run)
    {
        var passing = Passing.Union(run.Where(r => r.Outcome == CaseOutcome.Pass).Select(r => r.Case), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ConformanceFloor(AboutText, Math.Max(Floor, passing.Count), passing);
    }
}
