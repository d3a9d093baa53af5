namespace Kai.ApiServer.Http;

/// <summary>The <c>fieldValidation</c> directive of a write: what to do about unknown fields (default Warn).</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

internal static class FieldValidationParameter
{
    public static FieldValidation Of(HttpRequest request) =>
        Query.Text(request, "fieldValidation") switch
        {
            null or "" or "Warn" => FieldValidation.Warn,
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            var other => throw ApiException.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", got \"{other}\""),
        };
}
