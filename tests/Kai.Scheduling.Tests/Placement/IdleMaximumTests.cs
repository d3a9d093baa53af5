using Kai.Scheduling.Placement;

namespace Kai.Scheduling.Tests.Placement;

public sealed class IdleMaximumTests
{
    [Fact]
    public void Largest_FollowsRisesAndFalls_AsAScanWould()
    {
        var random = new Random(7);
        var amounts = new long[9];
        var maximum = new IdleMaximum(amounts.Length);
        for (var n = 0; n < amounts.Length; n++)
        {
            maximum.Set(n, 0);
        }

        for (var step = 0; step < 5000; step++)
        {
            var node = random.Next(amounts.Length);
            amounts[node] = random.Next(-3, 9) * 1000L;
            maximum.Set(node, amounts[node]);
            if (random.Next(3) == 0)
            {
                Assert.Equal(amounts.Max(), maximum.Largest);
            }
        }
    }

    [Fact]
    public void Largest_AfterTheOnlyLargestFalls_IsTheNextLargest()
    {
        var maximum = new IdleMaximum(3);
        maximum.Set(0, 2000);
        maximum.Set(1, 8000);
        maximum.Set(2, 5000);
        Assert.Equal(8000, maximum.Largest);

        maximum.Set(1, 1000);

        Assert.Equal(5000, maximum.Largest);
    }
}
