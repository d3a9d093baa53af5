using k8s;

namespace Kai.Cluster.Kubernetes;

/// <summary>Where the API server is and how to authenticate: a kubeconfig file, a plain address, or the pod's service account.</summary>
public sealed record KubernetesConnection
{
    /// <summary>A kubeconfig file (its current context); null with <see cref="Server"/> or in-cluster.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>An API server address such as <c>http://127.0.0.1:8080</c> (kai serve), used without credentials.</summary>
    public Uri? Server { get; init; }

    /// <summary>
    /// Speak HTTP/2 in clear text from the first byte (h2c with prior knowledge) to <see cref="Server"/>, as
    /// <c>kai serve --http2-port</c> listens: requests go as streams over a few connections instead of one connection
    /// each. Only for an http:// server that speaks it (a real API server offers HTTP/2 over TLS, which the client
    /// negotiates by itself); measured in docs/kubernetes.md, "Fifth round".
    /// </summary>
    public bool Http2PriorKnowledge { get; init; }

    /// <summary>A description for logs: the file, the address, or "in-cluster".</summary>
    public string Describe() => KubeconfigPath ?? Server?.ToString() ?? "in-cluster service account";

    /// <summary>
    /// The connection to use when nothing is given: the in-cluster service account inside a pod, else
    /// <c>$KUBECONFIG</c> or <c>~/.kube/config</c>, as kubectl picks it.
    /// </summary>
    public static KubernetesConnection Default()
    {
        if (KubernetesClientConfiguration.IsInCluster())
        {
            return new KubernetesConnection();
        }

        var path = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (string.IsNullOrEmpty(path))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        }
        else
        {
            path = path.Split(Path.PathSeparator)[0];
        }

        return new KubernetesConnection { KubeconfigPath = path };
    }

    /// <summary>The client configuration.</summary>
    /// <exception cref="k8s.Exceptions.KubeConfigException">The kubeconfig is missing or invalid, or in-cluster files are missing.</exception>
    public KubernetesClientConfiguration ToConfiguration()
    {
        if (KubeconfigPath is not null)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        }

        if (Server is not null)
        {
            return new KubernetesClientConfiguration { Host = Server.ToString().TrimEnd('/') };
        }

        return KubernetesClientConfiguration.InClusterConfig();
    }

    /// <summary>A client for this connection that reaches core and custom kinds alike (see <see cref="CoreGroupPathHandler"/>).</summary>
    /// <exception cref="ArgumentException"><see cref="Http2PriorKnowledge"/> without an http:// <see cref="Server"/>.</exception>
    public IKubernetes CreateClient()
    {
        if (!Http2PriorKnowledge)
        {
            return CreateClient(ToConfiguration());
        }

        if (Server is not { Scheme: "http" })
        {
            throw new ArgumentException($"HTTP/2 with prior knowledge needs an http:// server address (kai serve's --http2-port), not {Describe()}; over https the client negotiates HTTP/2 by itself.");
        }

        var configuration = ToConfiguration();

        // Streams beyond one connection's limit (Kestrel's 100) open another connection instead of queueing.
        configuration.FirstMessageHandlerSetup = handler => handler.EnableMultipleHttp2Connections = true;
        return new k8s.Kubernetes(configuration, new CoreGroupPathHandler(), new Http2PriorKnowledgeHandler());
    }

    /// <summary>A client for <paramref name="configuration"/> that reaches core and custom kinds alike.</summary>
    public static IKubernetes CreateClient(KubernetesClientConfiguration configuration) =>
        new k8s.Kubernetes(configuration, new CoreGroupPathHandler());
}
