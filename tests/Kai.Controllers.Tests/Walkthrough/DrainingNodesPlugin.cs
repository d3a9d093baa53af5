using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Controllers.Tests.Walkthrough;

/// <summary>
/// The plugin of docs/architecture.md's walk-through, as a host would write it: nodes that carry a label with the
/// value <c>true</c> (by default <c>example.com/draining</c>) take no new pods.
/// </summary>
internal sealed class DrainingNodesPlugin(DrainingNodesOptions options) : INodePredicatePlugin
{
    public const string PluginName = "drainingnodes";

    public string Name => PluginName;

    /// <summary>It reads only the node's labels, which do not change during a cycle: checked once per node and pod shape.</summary>
    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node) =>
        node.Node.Labels.TryGetValue(options.Label, out var value) && value == "true"
            ? PluginStatus.Unresolvable($"node draining ({options.Label}=true)", Name)
            : PluginStatus.Success;
}
