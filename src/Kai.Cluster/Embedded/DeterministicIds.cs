using System.Text;

namespace Kai.Cluster.Embedded;

/// <summary>
/// Identifiers derived from counters, so the same sequence of writes yields the same uids and names.
/// </summary>
internal static class DeterministicIds
{
    // The API server's generateName alphabet: no vowels (no accidental words) and no look-alike characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int SuffixLength = 5;

    /// <summary>A UUID-shaped uid (version-4 layout) whose last group is the counter in hex.</summary>
    public static string Uid(long counter) => $"00000000-0000-4000-8000-{counter:x12}";

    /// <summary>A five-character suffix for <c>generateName</c> (longer once the counter exceeds 27^5).</summary>
    public static string NameSuffix(long counter)
    {
        var builder = new StringBuilder(SuffixLength + 2);
        var value = counter;
        do
        {
            builder.Append(Alphabet[(int)(value % Alphabet.Length)]);
            value /= Alphabet.Length;
        }
        while (value > 0 || builder.Length < SuffixLength);

        return builder.ToString();
    }
}
