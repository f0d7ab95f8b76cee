// Few-shot: 16 labelled messages per label, written here in the program, are enough for a useful classifier. The few-shot trainer
// (SetFit's recipe) first tunes the encoder on pairs of messages, pulling messages of the same intent together, then fits the head.
// The result is an ordinary classifier: Intent.Predict(...) works exactly as after fine-tuning.
using TypedBert;

(string Text, Intent Label)[] examples =
[
    ("I was charged twice for my subscription this month", Intent.Billing),
    ("Can I get a refund for the last invoice?", Intent.Billing),
    ("My credit card payment was declined but the money left my account", Intent.Billing),
    ("Why is my bill higher than last month?", Intent.Billing),
    ("Please cancel the automatic renewal before it charges me", Intent.Billing),
    ("I need a copy of my invoice for the tax office", Intent.Billing),
    ("The discount code was not applied to my order total", Intent.Billing),
    ("How do I change the card you charge every month?", Intent.Billing),
    ("You billed me after I cancelled", Intent.Billing),
    ("Is VAT included in the price on the invoice?", Intent.Billing),
    ("I want to switch to the yearly plan to pay less", Intent.Billing),
    ("The receipt shows the wrong company name", Intent.Billing),
    ("There is an unknown charge from you on my statement", Intent.Billing),
    ("Can I pay by bank transfer instead of card?", Intent.Billing),
    ("My refund still has not arrived after two weeks", Intent.Billing),
    ("Do you offer a student discount on the monthly fee?", Intent.Billing),

    ("I forgot my password and the reset email never comes", Intent.Login),
    ("The app keeps logging me out every few minutes", Intent.Login),
    ("Two-factor codes are not accepted when I sign in", Intent.Login),
    ("My account is locked after too many attempts", Intent.Login),
    ("I cannot sign in with my Google account anymore", Intent.Login),
    ("It says my username does not exist but I have used it for years", Intent.Login),
    ("How do I change the email address I log in with?", Intent.Login),
    ("The login page just spins and never loads", Intent.Login),
    ("I lost my phone and cannot get the verification code", Intent.Login),
    ("Someone else may have access to my account, please help", Intent.Login),
    ("The password reset link says it has expired", Intent.Login),
    ("Face ID login stopped working after the update", Intent.Login),
    ("I get an error 401 when I try to log in", Intent.Login),
    ("Can I have two people log in to the same account?", Intent.Login),
    ("My new password is rejected although it meets the rules", Intent.Login),
    ("I was signed out on all my devices without warning", Intent.Login),

    ("Where is my parcel? It was due on Monday", Intent.Delivery),
    ("The tracking number does not work on the courier's site", Intent.Delivery),
    ("My package arrived damaged and the box was open", Intent.Delivery),
    ("Can you deliver to a pickup point instead of my home?", Intent.Delivery),
    ("The courier left my order with a neighbour I do not know", Intent.Delivery),
    ("How long does shipping to Canada take?", Intent.Delivery),
    ("Only half of my order was in the box", Intent.Delivery),
    ("I need to change the delivery address for an order I just placed", Intent.Delivery),
    ("The delivery was marked as delivered but nothing came", Intent.Delivery),
    ("Do you ship on weekends?", Intent.Delivery),
    ("My order has been stuck in customs for ten days", Intent.Delivery),
    ("The driver could not find my building, can you add instructions?", Intent.Delivery),
    ("I received someone else's package", Intent.Delivery),
    ("Is express shipping available for this item?", Intent.Delivery),
    ("The parcel went back to the warehouse, how do I get it resent?", Intent.Delivery),
    ("Can I choose a delivery time slot?", Intent.Delivery),
];

const string modelFolder = "intent-model";
if (!Directory.Exists(modelFolder))
{
    using var classifier = IntentTraining.CreateClassifier();
    var run = classifier.TrainFewShot(examples, IntentTraining.FewShotOptions);
    Console.WriteLine($"few-shot training on {examples.Length} messages: {run.Pairs} pairs, {run.Elapsed.TotalSeconds:0} s");
    classifier.Save(modelFolder);
}

foreach (var message in new[]
{
    "I paid but the invoice says unpaid",
    "my verification code never arrives so I can't get in",
    "the box came crushed and a cup is broken",
    "how much does it cost per month?",
})
{
    Intent intent = Intent.Predict(message);
    IntentScores scores = Intent.PredictScores(message);
    Console.WriteLine($"{intent,-9} {scores[intent],6:P1}  {message}");
}

[BertLabels(Model = "minilm-l6-uncased", ModelPath = "intent-model")]
public enum Intent { Billing, Login, Delivery }

// Checked at compile time: PairIterations = 0 or a BodyLearningRate of 0.5 would not build (TB0110).
[BertTrainingConfig(typeof(Intent), Method = TrainingMethod.SetFit, MaxLength = 64)]
public partial class IntentTraining;
