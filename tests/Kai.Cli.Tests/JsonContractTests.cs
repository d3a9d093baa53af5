using System.Text.Json;

namespace Kai.Cli.Tests;

/// <summary>
/// The shape of <c>kai simulate -o json</c>, read as plain JSON (not through the product's own types). The issue's
/// contract is <c>{cycles, pods[{namespace, name, podGroup, queue, status, node, gpuGroups}], podGroups[{namespace,
/// name, queue, priority, minMember, status, reasons}], queues[{name, parent, fairShare{cpu, memory, gpu}, allocated,
/// requested}], decisions[{cycle, action, kind, pod, node}]}</c>. The product adds <c>start</c>, <c>end</c> and
/// <c>diagnostics</c> at the top, <c>priority</c>, <c>quota</c> and <c>limit</c> on queues, <c>previousNode</c> on
/// pods, <c>evictions</c> and <c>topology</c> (the domains it landed in, null without a constraint) on pod groups, <c>cause</c> on decisions and
/// <c>nodes</c> (each node's devices) at the top; those additions are pinned here so any further
/// change to the shape is deliberate (fields are only ever added).
/// </summary>
public sealed class JsonContractTests
{
    [Fact]
    public async Task SimulateJson_WhenRun_HasExactlyTheTopLevelKeys()
    {
        using var json = await RunAsync(CliInputs.Quickstart);

        Assert.Equal("cycles,start,end,pods,podGroups,queues,decisions,diagnostics,nodes", Keys(json.RootElement));
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("cycles").ValueKind);
        Assert.Equal(1, json.RootElement.GetProperty("cycles").GetInt32());
        Assert.Equal("2026-01-01T00:00:00+00:00", json.RootElement.GetProperty("start").GetString());
    }

    [Fact]
    public async Task SimulateJson_WhenRun_EveryPodHasTheContractKeys()
    {
        using var json = await RunAsync(CliInputs.Quickstart);

        var pods = json.RootElement.GetProperty("pods").EnumerateArray().ToList();
        Assert.Equal(7, pods.Count);
        Assert.All(pods, pod =>
        {
            Assert.Equal("namespace,name,podGroup,queue,status,node,gpuGroups,previousNode", Keys(pod));
            Assert.Equal(JsonValueKind.Array, pod.GetProperty("gpuGroups").ValueKind);
        });
        var notebook = pods.Single(p => p.GetProperty("name").GetString() == "big-notebook");
        Assert.Equal(JsonValueKind.Null, notebook.GetProperty("node").ValueKind);
        Assert.Equal("Pending", notebook.GetProperty("status").GetString());
        Assert.Equal("team-b", notebook.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task SimulateJson_WhenRun_EveryPodGroupHasTheContractKeys()
    {
        using var json = await RunAsync(CliInputs.Quickstart);

        var groups = json.RootElement.GetProperty("podGroups").EnumerateArray().ToList();
        Assert.Equal(4, groups.Count);
        Assert.All(groups, group => Assert.Equal("namespace,name,queue,priority,minMember,status,reasons,evictions,topology", Keys(group)));
        var gang = groups.Single(g => g.GetProperty("name").GetString() == "llm-finetune");
        Assert.Equal(50, gang.GetProperty("priority").GetInt32());
        Assert.Equal(4, gang.GetProperty("minMember").GetInt32());
        Assert.Equal(JsonValueKind.Array, gang.GetProperty("reasons").ValueKind);
        var refused = groups.Single(g => g.GetProperty("name").GetString()!.StartsWith("pg-big-notebook-", StringComparison.Ordinal));
        var reason = Assert.Single(refused.GetProperty("reasons").EnumerateArray());
        Assert.Equal("reason,message", Keys(reason));
        Assert.Equal("OverLimit", reason.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task SimulateJson_WhenRun_EveryQueueHasResourceObjectsOfNumbers()
    {
        using var json = await RunAsync(CliInputs.Quickstart);

        var queues = json.RootElement.GetProperty("queues").EnumerateArray().ToList();
        Assert.Equal("default-parent-queue,default-queue,research,team-a,team-b", string.Join(",", queues.Select(q => q.GetProperty("name").GetString()).Order(StringComparer.Ordinal)));
        Assert.All(queues, queue =>
        {
            Assert.Equal("name,parent,priority,fairShare,allocated,requested,quota,limit", Keys(queue));
            foreach (var amounts in new[] { "fairShare", "allocated", "requested", "quota", "limit" })
            {
                var element = queue.GetProperty(amounts);
                Assert.Equal("cpu,memory,gpu", Keys(element));
                Assert.All(element.EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
            }
        });
        var teamB = queues.Single(q => q.GetProperty("name").GetString() == "team-b");
        Assert.Equal("research", teamB.GetProperty("parent").GetString());
        Assert.Equal(8m, teamB.GetProperty("fairShare").GetProperty("gpu").GetDecimal());
        Assert.Equal(4m, teamB.GetProperty("allocated").GetProperty("gpu").GetDecimal());
        Assert.Equal(10m, teamB.GetProperty("requested").GetProperty("gpu").GetDecimal());
        Assert.Equal(4m, teamB.GetProperty("allocated").GetProperty("cpu").GetDecimal());
        Assert.Equal(34359738368m, teamB.GetProperty("allocated").GetProperty("memory").GetDecimal());
        Assert.Equal(-1m, teamB.GetProperty("limit").GetProperty("cpu").GetDecimal());
        var research = queues.Single(q => q.GetProperty("name").GetString() == "research");
        Assert.Equal(JsonValueKind.Null, research.GetProperty("parent").ValueKind);
    }

    [Fact]
    public async Task SimulateJson_WhenPodsAreEvictedPipelinedAndBound_EveryDecisionHasTheContractKeys()
    {
        using var json = await RunAsync(CliInputs.Consolidation, "--cycles", "2");

        var decisions = json.RootElement.GetProperty("decisions").EnumerateArray().ToList();
        Assert.All(decisions, decision => Assert.Equal("cycle,action,kind,pod,node,cause", Keys(decision)));
        Assert.Equal("bind,evict,pipeline", string.Join(",", decisions.Select(d => d.GetProperty("kind").GetString()).Distinct().Order(StringComparer.Ordinal)));
        var evict = decisions.First(d => d.GetProperty("kind").GetString() == "evict");
        Assert.Equal(1, evict.GetProperty("cycle").GetInt32());
        Assert.Equal("consolidation", evict.GetProperty("action").GetString());
        Assert.Equal("default/small-b3", evict.GetProperty("pod").GetString());
        Assert.Equal("node-b", evict.GetProperty("node").GetString());
        Assert.StartsWith("default/pg-z-big-", evict.GetProperty("cause").GetString(), StringComparison.Ordinal);
        var bind = Assert.Single(decisions, d => d.GetProperty("kind").GetString() == "bind");
        Assert.Equal(2, bind.GetProperty("cycle").GetInt32());
        Assert.Equal("allocate", bind.GetProperty("action").GetString());
        Assert.Equal("default/z-big", bind.GetProperty("pod").GetString());
    }

    [Fact]
    public async Task SimulateJson_WhenNodesHaveDevices_EachNodeReportsWholeSharedAndDraDevices()
    {
        using var json = await RunAsync(CliInputs.NodeDevices, "--cycles", "2");

        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal("node-dra,node-gpu", string.Join(",", nodes.Select(n => n.GetProperty("name").GetString())));
        Assert.All(nodes, node =>
        {
            Assert.Equal("name,gpus,gpuMemoryMiB,idleGpus,wholeGpus,gpuGroups,mig,draDevices", Keys(node));
            Assert.Equal("allocated,pipelined,releasing", Keys(node.GetProperty("wholeGpus")));
        });

        // node-gpu: 4 GPUs, 2 held by a whole-GPU pod, 1 shared by two quarter-GPU pods, 1 idle.
        var gpuNode = nodes[1];
        Assert.Equal(4, gpuNode.GetProperty("gpus").GetInt32());
        Assert.Equal(1, gpuNode.GetProperty("idleGpus").GetInt32());
        Assert.Equal(2, gpuNode.GetProperty("wholeGpus").GetProperty("allocated").GetInt32());
        var group = Assert.Single(gpuNode.GetProperty("gpuGroups").EnumerateArray());
        Assert.Equal("id,pods,share,releasingShare,memoryMiB,releasingMemoryMiB", Keys(group));
        Assert.Equal(["default/quarter-a", "default/quarter-b"], group.GetProperty("pods").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0.5m, group.GetProperty("share").GetDecimal());
        Assert.Equal(0m, group.GetProperty("releasingShare").GetDecimal());
        Assert.Equal(gpuNode.GetProperty("gpuMemoryMiB").GetInt64() / 2, group.GetProperty("memoryMiB").GetInt64());
        var pod = json.RootElement.GetProperty("pods").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "quarter-a");
        Assert.Equal(group.GetProperty("id").GetString(), Assert.Single(pod.GetProperty("gpuGroups").EnumerateArray()).GetString());

        // node-dra: two GPU devices from its ResourceSlice, one allocated to the claim.
        var draNode = nodes[0];
        Assert.Equal(JsonValueKind.Null, draNode.GetProperty("gpuMemoryMiB").ValueKind);
        var devices = draNode.GetProperty("draDevices").EnumerateArray().ToList();
        Assert.All(devices, d => Assert.Equal("device,gpu,claim", Keys(d)));
        Assert.Equal(["gpu.nvidia.com/node-dra/gpu-0=default/one-gpu", "gpu.nvidia.com/node-dra/gpu-1="], devices.Select(d => $"{d.GetProperty("device").GetString()}={d.GetProperty("claim").GetString()}"));
        Assert.Equal(1, draNode.GetProperty("idleGpus").GetInt32());
    }

    [Fact]
    public async Task SimulateJson_WhenInputHasProblems_EveryDiagnosticHasSeveritySourceObjectAndMessage()
    {
        using var json = await RunAsync(CliInputs.Quickstart, CliInputs.Missing);

        var diagnostic = Assert.Single(json.RootElement.GetProperty("diagnostics").EnumerateArray());
        Assert.Equal("severity,source,object,message", Keys(diagnostic));
        Assert.Equal("error", diagnostic.GetProperty("severity").GetString());
        Assert.Contains("missing.yaml", diagnostic.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> RunAsync(params string[] inputs)
    {
        var run = await CliRun.RunAsync(["simulate", .. inputs, "--now", CliInputs.Now, "-o", "json"]);
        Assert.True(run.ExitCode is 0 or 3, $"exit code {run.ExitCode}: {run.Error}");
        return JsonDocument.Parse(run.Output);
    }

    private static string Keys(JsonElement element) => string.Join(",", element.EnumerateObject().Select(p => p.Name));
}
