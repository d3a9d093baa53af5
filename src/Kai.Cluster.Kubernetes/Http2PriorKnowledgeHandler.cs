using System.Net;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// Sends every request as HTTP/2 and nothing else (<see cref="KubernetesConnection.Http2PriorKnowledge"/>): over
/// http:// the client then opens its connections with HTTP/2's preface instead of HTTP/1.1. Set on each request
/// because KubernetesClient's own operations build their requests without the client's default version.
/// </summary>
internal sealed class Http2PriorKnowledgeHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return base.SendAsync(request, cancellationToken);
    }
}
