"""The model boundary: one OpenAI-compatible endpoint, structured answers, one retry layer.

endpoint.py   what the server is: discovery, and the probe for the mode it enforces
modes.py      one strategy per structured-output mode (build the request, send it)
bounds.py     the bounds json_schema mode sends, fitted to max_tokens
counting.py   what a text costs on this server: the estimate scaled to its tokenizer
client.py     prepare, fits, ask: instructor's one re-ask loop inside our one policy
policy.py     the tenacity policy (transport retries and re-asks, counted apart)
failures.py   which failures are transient, and map_errors() into our error tree
usage.py      the Meter: usage counted in one place, per document
replies.py    the JSON out of what a model wrote
local.py      a GGUF file served in-process

The package re-exports nothing: import a name from its module. client, endpoint and modes
import openai and instructor (~0.8 s), which an offline run never pays for.
"""
