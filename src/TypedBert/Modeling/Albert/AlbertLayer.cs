using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary><c>albert_layers.N.*</c>: attention, then <c>ffn</c>, the activation, <c>ffn_output</c> and <c>full_layer_layer_norm</c>.</summary>
internal sealed class AlbertLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly AlbertAttention attention;
    private readonly Linear ffn;
    private readonly Linear ffn_output;
    private readonly LayerNorm full_layer_layer_norm;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates one layer for <paramref name="config"/>.</summary>
    public AlbertLayer(EncoderConfig config) : base(nameof(AlbertLayer))
    {
        attention = new AlbertAttention(config);
        ffn = nn.Linear(config.HiddenSize, config.IntermediateSize);
        ffn_output = nn.Linear(config.IntermediateSize, config.HiddenSize);
        full_layer_layer_norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, additiveMask);
        var expanded = dropout.forward(ffn_output.Project(activation(ffn.Project(attended))));
        return full_layer_layer_norm.forward(expanded + attended).MoveToOuterDisposeScope();
    }
}
