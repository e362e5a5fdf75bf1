"""Members' application pages (apply, an application, submit): built by the applying
part of issue 21."""
