//! The model writing a short text from given material (the office's call summaries): plain
//! content, no structured reply, one request bounded by its own deadline. It is no caller's
//! turn, so it neither waits on nor feeds the breaker and the negotiation; whoever asks
//! checks what comes back (`call::vet::summary`).

use std::time::Duration;

use async_openai::types::chat::{
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    CreateChatCompletionRequestArgs,
};

use super::model::{Model, ModelError};

impl Model {
    /// What the model writes following `instructions` about `material`, at most
    /// `max_tokens` long, within `deadline`.
    pub async fn write(
        &self,
        instructions: &str,
        material: &str,
        max_tokens: u32,
        deadline: Duration,
    ) -> Result<String, ModelError> {
        let (wire, settings) = self.wire();
        let messages = vec![
            ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage::from(instructions)),
            ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage::from(material)),
        ];
        let mut args = CreateChatCompletionRequestArgs::default();
        args.model(&settings.model).messages(messages).max_completion_tokens(max_tokens).temperature(0.2);
        let mut body = serde_json::to_value(args.build()?)?;
        if !settings.api().is_openai_itself()
            && let Some(body) = body.as_object_mut()
        {
            // Servers that copy the API often read only the older name of the limit.
            body.insert("max_tokens".into(), max_tokens.into());
        }
        let response = tokio::time::timeout(deadline, wire.send(&body))
            .await
            .map_err(|_| ModelError::Deadline(deadline.as_millis()))??;
        let message = response.choices.into_iter().next().ok_or(ModelError::Empty)?.message;
        if let Some(refusal) = message.refusal {
            return Err(ModelError::Refusal(refusal));
        }
        message.content.filter(|c| !c.trim().is_empty()).ok_or(ModelError::Empty)
    }
}
