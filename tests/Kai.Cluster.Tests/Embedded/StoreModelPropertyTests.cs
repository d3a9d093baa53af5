using System.Globalization;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>
/// The store against a dictionary model: after any sequence of create / replace (current or stale) / delete,
/// lists, a feed opened at the start and a feed opened at the end all agree with the model, and every change
/// has a strictly larger resource version than the one before.
/// </summary>
public sealed class StoreModelPropertyTests
{
    private enum OpKind
    {
        Create,
        Replace,
        Delete,
    }

    private sealed record Op(OpKind Kind, bool IsWidget, string Name, int Value, bool Stale)
    {
        public override string ToString() => $"{Kind} {(IsWidget ? "widget" : "pod")}/{Name}={Value}{(Stale ? " stale" : string.Empty)}";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(
        Gen.Enum<OpKind>(),
        Gen.Bool,
        Gen.Int[0, 3].Select(i => "o" + i.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[0, 100],
        Gen.Bool,
        (kind, isWidget, name, value, stale) => new Op(kind, isWidget, name, value, stale));

    [Fact]
    public async Task Store_WhenRandomWrites_MatchesDictionaryModel()
    {
        await GenOp.Array[0, 40].SampleAsync(RunAsync, iter: 300, threads: 1);
    }

    private static async Task RunAsync(Op[] ops)
    {
        var cluster = TestCluster.Create();
        using var early = await cluster.SubscribeAsync(new ChangeFeedOptions());
        var model = new Dictionary<(bool IsWidget, string Name), int>();

        foreach (var op in ops)
        {
            var key = (op.IsWidget, op.Name);
            var exists = model.ContainsKey(key);
            var expected = Expected(op, exists);
            var actual = await ApplyAsync(cluster, op);
            Assert.Equal(expected, actual);
            if (actual is null)
            {
                if (op.Kind == OpKind.Delete)
                {
                    model.Remove(key);
                }
                else
                {
                    model[key] = op.Value;
                }
            }
        }

        Assert.Equal(Sorted(model), Sorted(await ListAsync(cluster)));

        var earlyChanges = TestCluster.Drain(early);
        var versions = earlyChanges.Select(c => long.Parse(c.ResourceVersion, CultureInfo.InvariantCulture)).ToList();
        Assert.True(versions.Zip(versions.Skip(1)).All(p => p.First < p.Second), "resource versions must strictly increase");
        Assert.Equal(Sorted(model), Sorted(Replay(earlyChanges)));

        using var late = await cluster.SubscribeAsync(new ChangeFeedOptions());
        Assert.Equal(Sorted(model), Sorted(Replay(TestCluster.Drain(late))));
    }

    private static ClusterErrorReason? Expected(Op op, bool exists) => op.Kind switch
    {
        OpKind.Create => exists ? ClusterErrorReason.AlreadyExists : null,
        OpKind.Replace when !exists => ClusterErrorReason.NotFound,
        OpKind.Replace => op.Stale ? ClusterErrorReason.Conflict : null,
        _ => exists ? null : ClusterErrorReason.NotFound,
    };

    private static async Task<ClusterErrorReason?> ApplyAsync(EmbeddedCluster cluster, Op op)
    {
        try
        {
            switch (op.Kind)
            {
                case OpKind.Create when op.IsWidget:
                    await cluster.CreateAsync(TestCluster.Widget(op.Name, op.Value));
                    break;
                case OpKind.Create:
                    await cluster.CreateAsync(PodWithValue(TestCluster.Pod(op.Name), op.Value));
                    break;
                case OpKind.Replace when op.IsWidget:
                    var widget = await cluster.GetAsync<Widget>("team-a", op.Name) ?? TestCluster.Widget(op.Name);
                    await cluster.ReplaceAsync(WithVersion(widget, op.Stale) with { Spec = new WidgetSpec(op.Value) });
                    break;
                case OpKind.Replace:
                    var pod = await cluster.GetAsync<V1Pod>("team-a", op.Name) ?? TestCluster.Pod(op.Name);
                    await cluster.ReplaceAsync(PodWithValue(WithVersion(pod, op.Stale), op.Value));
                    break;
                case OpKind.Delete when op.IsWidget:
                    await cluster.DeleteAsync<Widget>("team-a", op.Name);
                    break;
                default:
                    await cluster.DeleteAsync<V1Pod>("team-a", op.Name);
                    break;
            }

            return null;
        }
        catch (ClusterException ex)
        {
            return ex.Reason;
        }
    }

    // A stale writer holds the version before the current one; a current writer holds the current one.
    private static T WithVersion<T>(T obj, bool stale)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        KubeObjects.WithEditedMetadata(obj, m =>
        {
            if (stale && m.ResourceVersion is { } current)
            {
                m.ResourceVersion = (long.Parse(current, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture);
            }
        });

    private static V1Pod PodWithValue(V1Pod pod, int value) =>
        KubeObjects.WithEditedMetadata(pod, m => m.Labels = new Dictionary<string, string> { ["v"] = value.ToString(CultureInfo.InvariantCulture) });

    private static int ValueOf(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        Widget w => w.Spec!.Size,
        _ => int.Parse(obj.Metadata.Labels["v"], CultureInfo.InvariantCulture),
    };

    private static async Task<Dictionary<(bool, string), int>> ListAsync(EmbeddedCluster cluster)
    {
        var state = new Dictionary<(bool, string), int>();
        foreach (var pod in (await cluster.ListAsync<V1Pod>()).Items)
        {
            state.Add((false, pod.Metadata.Name), ValueOf(pod));
        }

        foreach (var widget in (await cluster.ListAsync<Widget>()).Items)
        {
            state.Add((true, widget.Metadata.Name), ValueOf(widget));
        }

        return state;
    }

    private static Dictionary<(bool, string), int> Replay(IEnumerable<ClusterChange> changes)
    {
        var state = new Dictionary<(bool, string), int>();
        foreach (var change in changes)
        {
            var key = (change.Object is Widget, change.Object.Metadata.Name);
            if (change.Type == ChangeType.Deleted)
            {
                Assert.True(state.Remove(key));
            }
            else
            {
                state[key] = ValueOf(change.Object);
            }
        }

        return state;
    }

    private static List<KeyValuePair<(bool, string), int>> Sorted(Dictionary<(bool IsWidget, string Name), int> state) =>
        [.. state.OrderBy(p => p.Key.IsWidget).ThenBy(p => p.Key.Name, StringComparer.Ordinal)];
}
