namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>How a <see cref="KubernetesConnection"/> makes its client.</summary>
public sealed class KubernetesConnectionTests
{
    [Theory]
    [InlineData("https://127.0.0.1:6443")]
    [InlineData(null)]
    public void CreateClient_WhenHttp2PriorKnowledgeIsAskedWithoutAnHttpServer_ExplainsWhatWouldWork(string? server)
    {
        var connection = new KubernetesConnection { Server = server is null ? null : new Uri(server), KubeconfigPath = server is null ? "/nowhere/kubeconfig" : null, Http2PriorKnowledge = true };

        var error = Assert.Throws<ArgumentException>(() => connection.CreateClient());

        Assert.Contains("http://", error.Message, StringComparison.Ordinal);
        Assert.Contains("--http2-port", error.Message, StringComparison.Ordinal);
    }
}
