namespace Kai.Scenarios.Tests.Harness;

/// <summary>Finds the scenario expectation files, split into runnable ones and known-bug ones (with <c>skip</c>).</summary>
internal static class ScenarioCatalog
{
    public static TheoryData<string> Data(bool skipped)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.ScenariosDirectory, "*.expect.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (ScenarioExpectation.Load(file).Skip is not null == skipped)
            {
                data.Add(Path.GetRelativePath(Repository.ScenariosDirectory, file));
            }
        }

        return data;
    }
}
