"""Analysis stages over one parsed article: language, entities, the shared speaker/actor resolver,
quotes, claims, timexes, figures, places and events. Each stage module has ``run(record, doc)``."""
