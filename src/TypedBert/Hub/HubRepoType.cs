namespace TypedBert.Hub;

/// <summary>The kinds of hub repository TypedBert reads.</summary>
public enum HubRepoType
{
    /// <summary>A model: <c>https://huggingface.co/{id}</c>, cached as <c>models--org--name</c>.</summary>
    Model,

    /// <summary>A dataset: <c>https://huggingface.co/datasets/{id}</c>, cached as <c>datasets--org--name</c>.</summary>
    Dataset,
}
