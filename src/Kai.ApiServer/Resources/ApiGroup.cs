namespace Kai.ApiServer.Resources;

/// <summary>An API group in discovery: its name ("" for core) and served versions, preferred first.</summary>
internal sealed record ApiGroup(string Name, IReadOnlyList<string> Versions)
{
    public string PreferredVersion => Versions[0];

    public static string GroupVersion(string group, string version) => group.Length == 0 ? version : group + "/" + version;
}
