using System.Reflection;
using System.Reflection.Emit;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Tests.Architecture;

/// <summary>
/// Inside the engine, actions and solvers do not call each other (what both need lives in framework services:
/// gang placement, candidate selection, ordering), and the session keeps no action's or solver's state. Checked
/// on the compiled IL: every call, object creation and method reference of the engine's methods.
/// </summary>
public sealed class EngineDependencyTests
{
    private const string Actions = "Kai.Scheduling.Actions";
    private const string Solvers = "Kai.Scheduling.Solvers";

    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    [Fact]
    public void Solvers_CallNoAction()
    {
        var all = CallsFrom(Solvers).ToList();
        var calls = all.Where(c => c.Callee.StartsWith(Actions, StringComparison.Ordinal)).ToList();

        // The scan sees calls (the victim search places gangs through the framework's service) ...
        Assert.Contains(all, c => c.Callee == "Kai.Scheduling.Placement.GangPlacement::TryPlace");

        // ... and none of them goes to an action.
        Assert.Empty(calls);
    }

    [Fact]
    public void Actions_CallNoOtherAction()
    {
        // The action context, journal and tally are how actions receive their inputs and record their outputs,
        // and DisruptiveAction is the base the disruptive actions share.
        string[] shared = [$"{Actions}.ActionContext", $"{Actions}.ActionTally", $"{Actions}.CycleJournal", $"{Actions}.CycleState", $"{Actions}.DisruptiveAction", $"{Actions}.SignatureSkipper"];
        var calls = CallsFrom(Actions)
            .Where(c => c.Callee.StartsWith(Actions, StringComparison.Ordinal) && TypeOf(c.Callee) != TypeOf(c.Caller) && !shared.Contains(TypeOf(c.Callee)))
            .ToList();

        Assert.Empty(calls);
    }

    [Fact]
    public void Session_KeepsNoActionOrSolverState()
    {
        var fields = typeof(Session).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType.Namespace is Actions or Solvers)
            .Select(f => f.Name)
            .ToList();

        Assert.Empty(fields);
    }

    private static string TypeOf(string member) => member[..member.LastIndexOf("::", StringComparison.Ordinal)];

    /// <summary>Every method reference in the IL of the engine's types in <paramref name="ns"/>: caller and callee as Type::Member.</summary>
    private static IEnumerable<(string Caller, string Callee)> CallsFrom(string ns)
    {
        var assembly = typeof(SchedulingEngine).Assembly;
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(t => t.Namespace == ns))
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var callee in Callees(method))
                {
                    yield return ($"{Outermost(type).FullName}::{method.Name}", callee);
                }
            }
        }
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static IEnumerable<string> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var position = 0;
        while (position < il.Length)
        {
            short code = il[position++];
            if (code == 0xFE)
            {
                code = (short)(0xFE00 | il[position++]);
            }

            var operand = OperandTypes[code];
            if (operand == OperandType.InlineMethod)
            {
                var target = method.Module.ResolveMethod(BitConverter.ToInt32(il, position), method.DeclaringType?.GetGenericArguments(), method.IsGenericMethod ? method.GetGenericArguments() : null);
                if (target?.DeclaringType is { } declaring)
                {
                    yield return $"{Outermost(declaring).FullName}::{target.Name}";
                }
            }

            position += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (BitConverter.ToInt32(il, position) * 4),
                _ => 4,
            };
        }
    }
}
