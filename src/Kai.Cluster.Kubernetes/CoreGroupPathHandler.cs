namespace Kai.Cluster.Kubernetes;

/// <summary>
/// Lets one code path serve every kind: KubernetesClient's custom-object operations build
/// <c>/apis/{group}/{version}/…</c>, which for the core group (empty group) reads <c>/apis//v1/…</c>; the core API
/// lives at <c>/api/v1/…</c>. The library's own generic client rewrites the path the same way.
/// </summary>
internal sealed class CoreGroupPathHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The original text first: reading AbsolutePath builds a string on every request, and most never need it.
        if (request.RequestUri is { } uri && uri.OriginalString.Contains("/apis//", StringComparison.Ordinal)
            && uri.AbsolutePath.Contains("/apis//", StringComparison.Ordinal))
        {
            var builder = new UriBuilder(uri) { Path = uri.AbsolutePath.Replace("/apis//", "/api/", StringComparison.Ordinal) };
            request.RequestUri = builder.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
