using k8s;

namespace Kai.Cluster.Kubernetes;

/// <summary>Where the API server is and how to authenticate: a kubeconfig file, a plain address, or the pod's service account.</summary>
public sealed record KubernetesConnection
{
    /// <summary>A kubeconfig file (its current context); null with <see cref="Server"/> or in-cluster.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>An API server address such as <c>http://127.0.0.1:8080</c> (kai serve), used without credentials.</summary>
    public Uri? Server { get; init; }

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
    public IKubernetes CreateClient() => CreateClient(ToConfiguration());

    /// <summary>A client for <paramref name="configuration"/> that reaches core and custom kinds alike.</summary>
    public static IKubernetes CreateClient(KubernetesClientConfiguration configuration) =>
        new k8s.Kubernetes(configuration, new CoreGroupPathHandler());
}
