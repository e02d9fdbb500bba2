-- "The model failed" and "the model's line was declined" are different facts: one column each.
ALTER TABLE turns ADD COLUMN line_declined TEXT;
UPDATE turns SET line_declined = substr(model_error, 18), model_error = NULL
 WHERE model_error LIKE 'line not spoken: %';
