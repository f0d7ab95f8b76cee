using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training;

/// <summary>
/// AdamW's moments through a save and a load, checked against an optimizer that never stopped: the same three steps must land on
/// the same weights. A parameter without a gradient is left alone and has no moments to save; a file written for other
/// parameters is refused with the tensor's name.
/// </summary>
public sealed class AdamWStateTests
{
    static (nn.Module<Tensor, Tensor> Model, AdamWOptimizer Optimizer) Make(int seed)
    {
        manual_seed(seed);
        var model = nn.Linear(3, 2);
        var optimizer = new AdamWOptimizer(model.named_parameters().Select(p => (p.name, p.parameter, p.name == "bias" ? 0.0 : 0.1, 1.0)), 0.9, 0.999, 1e-8);
        return (model, optimizer);
    }

    static void Step(nn.Module<Tensor, Tensor> model, AdamWOptimizer optimizer, int step)
    {
        manual_seed(100 + step);
        using var input = randn(4, 3);
        using (var loss = model.forward(input).pow(2).sum()) loss.backward();
        optimizer.Step(0.05);
        foreach (var p in model.parameters()) p.grad = null!;
    }

    [Fact]
    public void A_saved_and_loaded_optimizer_continues_exactly_where_the_uninterrupted_one_goes()
    {
        using var folder = new TemporaryFolder();
        var (straight, straightOptimizer) = Make(1);
        var (resumed, resumedOptimizer) = Make(1);
        using (straight) using (straightOptimizer) using (resumed) using (resumedOptimizer)
        {
            for (int step = 0; step < 2; step++) { Step(straight, straightOptimizer, step); Step(resumed, resumedOptimizer, step); }
            resumedOptimizer.Save(folder.File("optimizer.safetensors"));

            // A fresh optimizer over the same weights, with the moments read back: the third step must match.
            using var reloaded = new AdamWOptimizer(resumed.named_parameters().Select(p => (p.name, p.parameter, p.name == "bias" ? 0.0 : 0.1, 1.0)), 0.9, 0.999, 1e-8);
            reloaded.Load(folder.File("optimizer.safetensors"));
            Step(straight, straightOptimizer, 2);
            Step(resumed, reloaded, 2);
            foreach (var (name, p) in straight.named_parameters())
                Assert.True(p.allclose(resumed.get_parameter(name)!, rtol: 0, atol: 1e-7), $"{name} differs after the reload");

            // Without the moments (a fresh optimizer, steps from 0), the third step lands elsewhere: the comparison can fail.
            var (fresh, freshOptimizer) = Make(1);
            using (fresh) using (freshOptimizer)
            {
                for (int step = 0; step < 2; step++) Step(fresh, freshOptimizer, step);
                using var restarted = new AdamWOptimizer(fresh.named_parameters().Select(p => (p.name, p.parameter, p.name == "bias" ? 0.0 : 0.1, 1.0)), 0.9, 0.999, 1e-8);
                Step(fresh, restarted, 2);
                Assert.False(fresh.get_parameter("weight")!.allclose(straight.get_parameter("weight")!, rtol: 0, atol: 1e-5));
            }
        }
    }

    [Fact]
    public void A_parameter_without_a_gradient_is_left_alone_and_has_no_moments_in_the_file()
    {
        using var folder = new TemporaryFolder();
        var (model, optimizer) = Make(2);
        using (model) using (optimizer)
        {
            var bias = model.get_parameter("bias")!;
            using var before = bias.detach().clone();
            manual_seed(5);
            using var input = randn(4, 3);
            using (var loss = model.forward(input).pow(2).sum()) loss.backward();
            bias.grad = null!;
            optimizer.Step(0.05);
            Assert.True(bias.allclose(before, rtol: 0, atol: 0), "a parameter without a gradient moved");
            optimizer.Save(folder.File("optimizer.safetensors"));
            using var file = TypedBert.Serialization.SafeTensorsFile.Open(folder.File("optimizer.safetensors"));
            Assert.Equal(["weight.exp_avg", "weight.exp_avg_sq"], file.Tensors.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("1", file.Metadata["weight.step"]);
        }
    }

    [Fact]
    public void A_file_written_for_other_parameters_is_refused_with_the_tensors_name()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("optimizer.safetensors");
        var (model, optimizer) = Make(3);
        using (model) using (optimizer)
        {
            Step(model, optimizer, 0);
            optimizer.Save(path);

            // Other parameters: a name the file does not know.
            using var wider = nn.Linear(3, 5);
            using var other = new AdamWOptimizer(wider.named_parameters().Select(p => ("encoder." + p.name, p.parameter, 0.0, 1.0)), 0.9, 0.999, 1e-8);
            var unknown = Assert.Throws<InvalidDataException>(() => other.Load(path));
            Assert.Matches("tensor \"(weight|bias)\\.exp_avg(_sq)?\" belongs to no parameter being trained", unknown.Message);
            Assert.Contains(path, unknown.Message);

            // The same names with other shapes.
            using var reshaped = new AdamWOptimizer(wider.named_parameters().Select(p => (p.name, p.parameter, 0.0, 1.0)), 0.9, 0.999, 1e-8);
            var shape = Assert.Throws<InvalidDataException>(() => reshaped.Load(path));
            Assert.Contains("[2, 3]; the parameter is Float32 [5, 3]", shape.Message);
        }
    }
}
