namespace Kai.Scheduling.Plugins.PodAffinity;

/// <summary>A topology domain: a node label key and one of its values (all nodes with that label value).</summary>
internal readonly record struct TopologyPair(string Key, string Value);
