using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>The initialisation Hugging Face gives modules that a checkpoint does not cover (for example a new classifier).</summary>
internal static class WeightInitialization
{
    /// <summary>Linear and embedding weights ~ N(0, <paramref name="std"/>), biases 0, LayerNorm 1 and 0, padding row 0.</summary>
    public static void Apply(nn.Module module, double std, long? paddingIndex = null)
    {
        using var noGrad = no_grad();
        // TorchSharp's Embedding.weight hands out a new handle on every read; left to the finalizer, those handles kept the weights of a
        // disposed model alive (nine per BERT, found when a hyperparameter search built one model per trial). The scope frees them.
        using var scope = NewDisposeScope();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Linear linear:
                    nn.init.normal_(linear.weight!, 0, std);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
                case Embedding embedding:
                    nn.init.normal_(embedding.weight!, 0, std);
                    if (paddingIndex is long pad && pad < embedding.weight!.shape[0])
                    {
                        using var paddingRow = embedding.weight![pad];
                        paddingRow.zero_().Dispose(); // zero_() hands back a new handle to the row; the row itself lives on in the weight
                    }
                    break;
                case LayerNorm norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }
}
