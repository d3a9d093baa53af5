using System.Text.RegularExpressions;
using k8s.Models;

namespace Kai.Controllers.Dra;

/// <summary>
/// The one form of CEL device selector this scheduler evaluates, the one device classes use to name their driver:
/// <c>device.driver == "gpu.example.com"</c> (single or double quotes). Other expressions are refused with a reason.
/// </summary>
internal static partial class DriverSelector
{
    public const string Supported = "device.driver == \"<driver>\"";

    /// <summary>
    /// The driver the selectors (of a request and its class) require, null when they require none; false when one is
    /// another expression, or two name different drivers (no device matches both).
    /// </summary>
    public static bool TryRead(IEnumerable<V1DeviceSelector> selectors, out string? driver)
    {
        driver = null;
        foreach (var selector in selectors)
        {
            if (selector.Cel?.Expression is not { } expression || DriverEquals().Match(expression) is not { Success: true } match)
            {
                return false;
            }

            var named = match.Groups["driver"].Value;
            if (driver is not null && !string.Equals(driver, named, StringComparison.Ordinal))
            {
                return false;
            }

            driver = named;
        }

        return true;
    }

    [GeneratedRegex("""^\s*device\.driver\s*==\s*(?<q>["'])(?<driver>[^"']+)\k<q>\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex DriverEquals();
}
